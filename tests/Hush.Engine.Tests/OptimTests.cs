using Hush.Engine;
using Hush.Engine.Optim;

namespace Hush.Engine.Tests;

public class OptimTests
{
    [Theory]
    [InlineData(0f)]
    [InlineData(0.01f)]
    public void AdamMatchesTorchFormula(float weightDecay)
    {
        float[] init = [0.5f, -1.5f, 2f];
        Tensor p = Tensor.Parameter((float[])init.Clone(), 3);
        const double lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8;
        var opt = new Adam([p], (float)lr, weightDecay: weightDecay);
        double[] w = init.Select(v => (double)v).ToArray(), m = new double[3], v = new double[3];
        double[][] coeffs = [[1, -2, 3], [0.5, 0.1, -4], [-1, 1e-3, 2], [3, 3, 3], [0, -1, 0.25]];
        for (int t = 1; t <= coeffs.Length; t++)
        {
            // loss = sum(p * c) -> grad = c
            float[] c = coeffs[t - 1].Select(x => (float)x).ToArray();
            opt.ZeroGrad();
            Ops.Sum(Ops.Mul(p, Tensor.FromArray(c, 3))).Backward();
            opt.Step();
            Assert.Equal(t, opt.StepCount);
            for (int i = 0; i < 3; i++)
            {
                double g = c[i] + weightDecay * w[i];
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                double denom = Math.Sqrt(v[i]) / Math.Sqrt(1 - Math.Pow(b2, t)) + eps;
                w[i] -= lr / (1 - Math.Pow(b1, t)) * m[i] / denom;
                Assert.Equal(w[i], p.Data[i], 1e-5);
            }
        }
    }

    [Fact]
    public void StepLRFollowsTorchSchedule()
    {
        var opt = new Adam([Tensor.Parameter([0f], 1)], 1f);
        var sched = new StepLR(opt, 3, 0.5f);
        var lrs = new List<float> { opt.LearningRate };
        for (int i = 0; i < 7; i++)
        {
            sched.Step();
            lrs.Add(opt.LearningRate);
        }

        Assert.Equal([1f, 1f, 1f, 0.5f, 0.5f, 0.5f, 0.25f, 0.25f], lrs);
    }
}
