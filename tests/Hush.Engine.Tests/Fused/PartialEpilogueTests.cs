using Hush.Engine.Fused;

namespace Hush.Engine.Tests.Fused;

/// <summary>The partial convolution's epilogue: the fused op against the composition it replaces
/// (<see cref="FusedOps.PartialEpilogueComposed"/>), bit for bit in values and the input's gradient, the bias gradient
/// to float rounding (it sums in another order), and its gradients against finite differences.</summary>
public class PartialEpilogueTests
{
    private static (Tensor C, Tensor Ratio, Tensor Update, Tensor Bias) Inputs(int n, int k, int h, int w, ulong seed)
    {
        var rng = new Rng(seed);
        var c = Tensor.Parameter(TestUtil.Random(rng, n * k * h * w, -2f, 2f), n, k, h, w);
        c.Data[5] = 0f; // the activation's kink: the composition takes the slope there
        // ratios as a partial convolution makes them: 0 in a hole, window / S elsewhere; the updated mask min(S, 1)
        float[] ratio = new float[n * h * w], update = new float[n * h * w];
        for (int p = 0; p < ratio.Length; p++)
        {
            int s = (int)(rng.NextUInt64() % 28);
            ratio[p] = s > 0 ? 27f / s : 0f;
            update[p] = Math.Min(s, 1);
        }

        var bias = Tensor.Parameter(TestUtil.Random(rng, k, -0.5f, 0.5f), k, 1, 1, 1);
        return (c, Tensor.FromArray(ratio, n, 1, h, w), Tensor.FromArray(update, n, 1, h, w), bias);
    }

    // Planes of 7×9 (vector tails), 40×40 (several chunks of the gradient, a parallel split), two images; with and
    // without the activation.
    [Theory]
    [InlineData(2, 3, 7, 9, 0.1f)]
    [InlineData(1, 48, 40, 40, 0.1f)]
    [InlineData(2, 5, 40, 40, null)]
    public void FusedEpilogueEqualsItsComposition(int n, int k, int h, int w, float? slope)
    {
        (float[] Y, float[] DC, float[] DB) Run(bool fused)
        {
            var (c, ratio, update, bias) = Inputs(n, k, h, w, 17);
            Tensor y = fused ? FusedOps.PartialEpilogue(c, ratio, update, bias, slope)
                : FusedOps.PartialEpilogueComposed(c, ratio, update, bias, slope);
            Ops.Sum(Ops.Mul(y, Tensor.FromArray(TestUtil.Random(new Rng(4), y.Length), y.Shape))).Backward();
            return (y.Data[..y.Length], c.Grad!, bias.Grad!);
        }

        var f = Run(fused: true);
        var composed = Run(fused: false);
        Assert.Equal(composed.Y, f.Y);
        Assert.Equal(composed.DC, f.DC);
        TestUtil.AssertClose(composed.DB, f.DB, 1e-5, "bias gradient");
    }

    [Theory]
    [InlineData(0.1f)]
    [InlineData(null)]
    public void FusedEpilogueGradientMatchesFiniteDifferences(float? slope)
    {
        var (c, ratio, update, bias) = Inputs(1, 3, 5, 6, 23);
        TestUtil.GradCheck(t => FusedOps.PartialEpilogue(t[0], ratio, update, t[1], slope), [c, bias], eps: 1e-3f);
    }

    [Fact]
    public void MisshapenInputsAreRefused()
    {
        var (c, ratio, update, bias) = Inputs(1, 3, 5, 6, 1);
        Assert.Throws<ArgumentException>(() => FusedOps.PartialEpilogue(c, update, Tensor.FromArray(new float[60], 1, 2, 5, 6), bias, null));
        Assert.Throws<ArgumentException>(() => FusedOps.PartialEpilogue(c, ratio, update, Tensor.FromArray(new float[3], 3), null));
    }
}
