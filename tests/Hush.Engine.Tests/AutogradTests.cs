using Hush.Engine;
using Hush.Engine.Layers;

namespace Hush.Engine.Tests;

public class AutogradTests
{
    [Fact]
    public void NoGradRecordsNothing()
    {
        Tensor p = Tensor.Parameter([1f, -2f, 3f], 3);
        using (Autograd.NoGrad())
        {
            Assert.False(Autograd.IsEnabled);
            using (Autograd.NoGrad()) Assert.False(Autograd.IsEnabled);
            Assert.False(Autograd.IsEnabled);
            Tensor y = Ops.Sum(Ops.Mul(p, p));
            Assert.False(y.RequiresGrad);
            Assert.Empty(y.Parents);
            Assert.Null(y.BackwardRule);
            Assert.Throws<InvalidOperationException>(y.Backward);
        }

        Assert.True(Autograd.IsEnabled);
        Tensor z = Ops.Sum(Ops.Mul(p, p));
        Assert.True(z.RequiresGrad);
        z.Backward();
        Assert.Equal([2f, -4f, 6f], p.Grad!);
    }

    [Fact]
    public void BackwardAccumulatesFanOutAndAcrossCalls()
    {
        Tensor p = Tensor.Parameter([2f], 1);
        Tensor q = Ops.Mul(p, p);             // used twice below
        Tensor loss = Ops.Add(q, Ops.Scale(q, 3f)); // 4 p^2 -> 8p
        Assert.Null(p.Grad);
        loss.Backward();
        Assert.Equal(16f, p.Grad![0]);
        Ops.Scale(p, 1f).Backward();          // accumulates into the leaf
        Assert.Equal(17f, p.Grad![0]);
        p.ZeroGrad();
        Assert.Equal(0f, p.Grad![0]);
        Tensor c = Tensor.FromArray([5f], 1);
        Assert.False(Ops.Mul(c, c).RequiresGrad);
        Assert.Null(Ops.Mul(p, c).Detach().Grad);
        Assert.Same(p.Data, p.Detach().Data);
    }

    [Fact]
    public void TwoLayerNetMatchesFiniteDifferences()
    {
        var rng = new Rng(21);
        var c1 = new Conv2d(2, 6, 3, rng, padding: 1);
        var c2 = new Conv2d(6, 2, 1, rng);
        Tensor x = Tensor.Parameter(TestUtil.Random(rng, 2 * 2 * 7 * 9), 2, 2, 7, 9);
        Tensor target = Tensor.FromArray(TestUtil.Random(rng, 2 * 2 * 7 * 9), 2, 2, 7, 9);
        Tensor[] inputs = [x, .. c1.Parameters(), .. c2.Parameters()];
        TestUtil.GradCheck(_ => Ops.MseLoss(c2.Forward(Ops.LeakyRelu(c1.Forward(x), 0.2f)), target), inputs, eps: 1e-2f, samples: 16);
    }

    [Fact]
    public void ZsN2NShapedNetworkTrainsDeterministically()
    {
        float Run()
        {
            var rng = new Rng(3);
            var c1 = new Conv2d(3, 48, 3, rng, padding: 1);
            var c2 = new Conv2d(48, 48, 3, rng, padding: 1);
            var c3 = new Conv2d(48, 3, 1, rng);
            Tensor img = Tensor.FromArray(TestUtil.Random(new Rng(9), 3 * 20 * 19, 0f, 1f), 1, 3, 20, 19);
            var opt = new Hush.Engine.Optim.Adam([.. c1.Parameters(), .. c2.Parameters(), .. c3.Parameters()], 1e-3f);
            float first = 0, last = 0;
            for (int step = 0; step < 8; step++)
            {
                opt.ZeroGrad();
                Tensor y = c3.Forward(Ops.LeakyRelu(c2.Forward(Ops.LeakyRelu(c1.Forward(img), 0.2f)), 0.2f));
                Tensor loss = Ops.MseLoss(y, img);
                loss.Backward();
                opt.Step();
                if (step == 0) first = loss.Item();
                last = loss.Item();
            }

            Assert.True(last < first, $"loss {first} -> {last}");
            return last;
        }

        Assert.Equal(BitConverter.SingleToInt32Bits(Run()), BitConverter.SingleToInt32Bits(Run()));
    }
}
