using Hush.Engine.Fused;

namespace Hush.Engine.Tests.Fused;

/// <summary>The gated-convolution gate: the fused op against the composition it replaces
/// (<see cref="FusedOps.GatedComposed"/>), bit for bit in values and gradients, against a scalar twin computed here in
/// double, and its gradient against finite differences.</summary>
public class GatedTests
{
    // Planes of 7×9 (vector tails) and of 40×40 (several chunks of the kernel, and a parallel split); two images.
    [Theory]
    [InlineData(2, 3, 7, 9)]
    [InlineData(1, 5, 40, 40)]
    [InlineData(2, 48, 16, 16)]
    public void FusedGateEqualsItsCompositionBitForBit(int n, int c, int h, int w)
    {
        (float[] Y, float[] DX) Run(bool fused)
        {
            var x = Tensor.Parameter(TestUtil.Random(new Rng(31), n * 2 * c * h * w, -4f, 4f), n, 2 * c, h, w);
            x.Data[3] = 0f; // LeakyReLU's kink: the composition takes the slope there
            Tensor y = fused ? FusedOps.Gated(x, 0.2f) : FusedOps.GatedComposed(x, 0.2f);
            Ops.Sum(Ops.Mul(y, Tensor.FromArray(TestUtil.Random(new Rng(4), y.Length), y.Shape))).Backward();
            return (y.Data, x.Grad!);
        }

        var f = Run(fused: true);
        var c0 = Run(fused: false);
        Assert.Equal(c0.Y, f.Y);
        Assert.Equal(c0.DX, f.DX);
    }

    [Fact]
    public void FusedGateMatchesItsScalarTwinInDouble()
    {
        const int n = 2, c = 3, plane = 5 * 6;
        const float slope = 0.2f;
        var x = Tensor.Parameter(TestUtil.Random(new Rng(5), n * 2 * c * plane, -3f, 3f), n, 2 * c, 5, 6);
        var dy = TestUtil.Random(new Rng(6), n * c * plane);
        var y = FusedOps.Gated(x, slope);
        Ops.Sum(Ops.Mul(y, Tensor.FromArray(dy, y.Shape))).Backward();
        for (int img = 0; img < n; img++)
            for (int ch = 0; ch < c; ch++)
                for (int i = 0; i < plane; i++)
                {
                    int fi = (img * 2 * c + ch) * plane + i, gi = fi + c * plane, yi = (img * c + ch) * plane + i;
                    double f = x.Data[fi], g = x.Data[gi], s = 1 / (1 + Math.Exp(-g)), a = f > 0 ? f : slope * f;
                    Assert.Equal(a * s, y.Data[yi], 5e-6);
                    Assert.Equal(dy[yi] * s * (f > 0 ? 1 : slope), x.Grad![fi], 5e-6);
                    Assert.Equal(dy[yi] * a * s * (1 - s), x.Grad![gi], 5e-6);
                }
    }

    [Fact]
    public void FusedGateGradientMatchesFiniteDifferences()
    {
        var x = Tensor.Parameter(TestUtil.Random(new Rng(9), 1 * 4 * 5 * 5, -2f, 2f), 1, 4, 5, 5);
        TestUtil.GradCheck(t => FusedOps.Gated(t[0], 0.2f), [x], eps: 1e-3f);
    }

    [Fact]
    public void FusedGateRefusesAnOddChannelCount()
    {
        var x = Tensor.FromArray(new float[3 * 4], 1, 3, 2, 2);
        Assert.Throws<ArgumentException>(() => FusedOps.Gated(x, 0.2f));
    }
}
