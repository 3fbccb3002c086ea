using Hush.Engine.Fused;
using Hush.Engine.Kernels;
using Hush.Engine.Kernels.Winograd;

namespace Hush.Engine.Tests.Fused;

/// <summary>The fused stem (two 3×3 LeakyReLU convolutions whose activation stays channels-last) against the plain
/// composition it replaces (<see cref="FusedOps.Conv2dLeakyReluStemComposed"/>, with the head
/// <see cref="FusedOps.Conv2dLeakyReluStemHeadComposed"/>): values and every parameter gradient, on shapes that take the fused path (Winograd for the
/// second layer), with image sides that are not multiples of the 4×4 tile, batches, one and three input channels, and
/// one and two threads. The separate ops are tested against direct convolution and finite differences elsewhere.</summary>
public class ConvStemTests
{
    [Theory]
    [InlineData(1, 3, 32, 32, 1)]
    [InlineData(2, 3, 37, 45, 2)]
    [InlineData(1, 1, 33, 40, 2)]
    [InlineData(2, 3, 64, 48, 1)]
    [InlineData(1, 5, 32, 36, 2)]
    public void TheStemEqualsItsComposition(int n, int c, int h, int w, int threads)
    {
        using var context = TestUtil.Threads(threads);
        const int k = 48;
        const float slope = 0.2f;
        Tensor[] Parameters() => StemParameters(c, k);
        var x = Tensor.FromArray(TestUtil.AwayFromZero(new Rng(11), n * c * h * w, 0.5f), n, c, h, w);
        float[] r = TestUtil.Random(new Rng(5), n * k * h * w);
        var weights = Tensor.FromArray(r, n, k, h, w);

        Tensor[] fused = Parameters(), separate = Parameters();
        AssertAwayFromTheKinks(x, fused, slope);
        Tensor yf = FusedOps.Conv2dLeakyReluStem(x, fused[0], fused[1], fused[2], fused[3], slope);
        Tensor ys = FusedOps.Conv2dLeakyReluStemComposed(x, separate[0], separate[1], separate[2], separate[3], slope);
        var g1 = ConvGeometry.Create(x.Shape, fused[0].Shape, fused[1].Shape, 1, 1, 1, 1);
        var g2 = ConvGeometry.Create([n, k, h, w], fused[2].Shape, fused[3].Shape, 1, 1, 1, 1);
        Assert.True(WinogradConv.CanStem(g1, g2, Simd.Best)); // the fused path ran, not the fallback

        TestUtil.AssertClose(ys.Data, yf.Data, 1e-5, "output");
        Ops.Sum(Ops.Mul(yf, weights)).Backward();
        Ops.Sum(Ops.Mul(ys, weights)).Backward();
        string[] names = ["w1", "b1", "w2", "b2"];
        for (int i = 0; i < 4; i++) TestUtil.AssertClose(separate[i].Grad!, fused[i].Grad!, 2e-5, names[i]);
        Assert.Contains(fused[0].Grad!, v => v != 0f); // the gradients are not trivially zero
    }

    [Theory]
    [InlineData(1, 3, 32, 32, 1)]
    [InlineData(2, 3, 37, 45, 2)]
    [InlineData(1, 1, 33, 40, 2)]
    [InlineData(1, 5, 32, 36, 2)] // more than the three head outputs kept in registers
    public void TheStemWithAHeadEqualsItsComposition(int n, int c, int h, int w, int threads)
    {
        using var context = TestUtil.Threads(threads);
        const int k = 48;
        const float slope = 0.2f;
        Tensor[] Parameters() =>
        [
            .. StemParameters(c, k),
            Tensor.Parameter(TestUtil.Random(new Rng(6), c * k, -0.3f, 0.3f), c, k, 1, 1),
            Tensor.Parameter(TestUtil.Random(new Rng(7), c, -0.1f, 0.1f), c),
        ];
        var x = Tensor.FromArray(TestUtil.AwayFromZero(new Rng(12), n * c * h * w, 0.5f), n, c, h, w);
        var weights = Tensor.FromArray(TestUtil.Random(new Rng(5), n * c * h * w), n, c, h, w);

        Tensor[] fused = Parameters(), separate = Parameters();
        AssertAwayFromTheKinks(x, fused, slope);
        Tensor yf = FusedOps.Conv2dLeakyReluStemHead(x, fused[0], fused[1], fused[2], fused[3], fused[4], fused[5], slope);
        Tensor ys = FusedOps.Conv2dLeakyReluStemHeadComposed(x, separate[0], separate[1], separate[2], separate[3], separate[4], separate[5], slope);
        Assert.Equal(ys.Shape, yf.Shape);
        var g1 = ConvGeometry.Create(x.Shape, fused[0].Shape, fused[1].Shape, 1, 1, 1, 1);
        var g2 = ConvGeometry.Create([n, k, h, w], fused[2].Shape, fused[3].Shape, 1, 1, 1, 1);
        var g3 = ConvGeometry.Create([n, k, h, w], fused[4].Shape, fused[5].Shape, 1, 0, 1, 1);
        Assert.True(WinogradConv.CanStemHead(g1, g2, g3, Simd.Best)); // the fused path ran, not the fallback
        TestUtil.AssertClose(ys.Data, yf.Data, 1e-5, "output");
        Ops.Sum(Ops.Mul(yf, weights)).Backward();
        Ops.Sum(Ops.Mul(ys, weights)).Backward();
        string[] names = ["w1", "b1", "w2", "b2", "w3", "b3"];
        for (int i = 0; i < 6; i++) TestUtil.AssertClose(separate[i].Grad!, fused[i].Grad!, 2e-5, names[i]);
        Assert.Contains(fused[0].Grad!, v => v != 0f);
    }

    // The fused and the separate ops round differently (conv1 sums its taps in another order; outputs differ by up to
    // about 1e-5), so an activation that close to LeakyReLU's kink can come out with opposite signs, and then its
    // gradient is 1 in one and the slope in the other: a true difference, not an error (one such activation at
    // 4e-6 moved w2's gradient by 1.2). So the parameters keep every pre-activation well away from 0 (checked by
    // AssertAwayFromTheKinks) while still taking both branches: small random weights, and per channel (k mod 4)
    // a bias of +2, a bias of -2, or no bias and one large centre tap on a signed input (x is at least 0.5 in
    // magnitude), whose sign then changes from pixel to pixel.
    private static Tensor[] StemParameters(int c, int k)
    {
        float[] w1 = TestUtil.Random(new Rng(1), k * c * 9, -0.01f, 0.01f), w2 = TestUtil.Random(new Rng(3), k * k * 9, -0.001f, 0.001f);
        float[] b1 = new float[k], b2 = new float[k];
        for (int o = 0; o < k; o++)
        {
            if (o % 4 == 1)
            {
                w1[o * c * 9 + 4] = 2f;       // w1[o, 0, 1, 1]: follows the sign of input channel 0
                w2[(o * k + o) * 9 + 4] = 3f; // w2[o, o, 1, 1]: follows the sign of layer-1 channel o
            }
            else
            {
                b1[o] = b2[o] = o % 4 == 2 ? -2f : 2f;
            }
        }

        return
        [
            Tensor.Parameter(w1, k, c, 3, 3), Tensor.Parameter(b1, k), Tensor.Parameter(w2, k, k, 3, 3), Tensor.Parameter(b2, k),
        ];
    }

    // Both layers' outputs of the separate ops stay clear of LeakyReLU's kink (see StemParameters).
    private static void AssertAwayFromTheKinks(Tensor x, Tensor[] p, float slope)
    {
        using var _ = Autograd.NoGrad();
        Tensor h1 = Ops.Conv2dLeakyRelu(x, p[0], p[1], slope, padding: 1), h2 = Ops.Conv2dLeakyRelu(h1, p[2], p[3], slope, padding: 1);
        Assert.True(h1.Data.Min(Math.Abs) > 0.1f && h2.Data.Min(Math.Abs) > 0.1f, "an activation lies near LeakyReLU's kink");
        int plane = x.Shape[2] * x.Shape[3];
        var mixed = h2.Data.Skip(plane).Take(plane).ToArray(); // channel 1 of image 0: signs vary by pixel
        Assert.Contains(mixed, v => v < 0f);
        Assert.Contains(mixed, v => v > 0f);
    }

    [Fact]
    public void TheSameThreadCountGivesTheSameBits()
    {
        using var context = TestUtil.Threads(2);
        (float[] Y, float[] DW1, float[] DW2) Run()
        {
            var x = Tensor.FromArray(TestUtil.Random(new Rng(9), 2 * 3 * 40 * 36), 2, 3, 40, 36);
            var w1 = Tensor.Parameter(TestUtil.Random(new Rng(1), 48 * 27, -0.5f, 0.5f), 48, 3, 3, 3);
            var b1 = Tensor.Parameter(TestUtil.Random(new Rng(2), 48, -0.1f, 0.1f), 48);
            var w2 = Tensor.Parameter(TestUtil.Random(new Rng(3), 48 * 48 * 9, -0.1f, 0.1f), 48, 48, 3, 3);
            var b2 = Tensor.Parameter(TestUtil.Random(new Rng(4), 48, -0.1f, 0.1f), 48);
            Tensor y = FusedOps.Conv2dLeakyReluStem(x, w1, b1, w2, b2, 0.2f);
            Ops.Sum(Ops.Mul(y, y)).Backward();
            return (y.Data, w1.Grad!, w2.Grad!);
        }

        var a = Run();
        var b = Run();
        Assert.Equal(a.Y, b.Y);
        Assert.Equal(a.DW1, b.DW1);
        Assert.Equal(a.DW2, b.DW2);
    }

    [Fact]
    public void AnInputThatNeedsAGradientFallsBackToTheComposition()
    {
        (float[] Y, float[] DX) Run(bool fused)
        {
            var x = Tensor.Parameter(TestUtil.Random(new Rng(9), 3 * 32 * 32), 1, 3, 32, 32);
            var w1 = Tensor.Parameter(TestUtil.Random(new Rng(1), 48 * 27, -0.5f, 0.5f), 48, 3, 3, 3);
            var b1 = Tensor.Parameter(new float[48], 48);
            var w2 = Tensor.Parameter(TestUtil.Random(new Rng(3), 48 * 48 * 9, -0.1f, 0.1f), 48, 48, 3, 3);
            var b2 = Tensor.Parameter(new float[48], 48);
            Tensor y = fused ? FusedOps.Conv2dLeakyReluStem(x, w1, b1, w2, b2, 0.2f) : FusedOps.Conv2dLeakyReluStemComposed(x, w1, b1, w2, b2, 0.2f);
            Ops.Sum(y).Backward();
            Assert.NotNull(x.Grad);
            return (y.Data, x.Grad!);
        }

        var f = Run(fused: true);
        var c = Run(fused: false);
        Assert.Contains(f.DX, v => v != 0f);
        Assert.Equal(c.Y, f.Y); // the fallback is the composition itself: the same bits
        Assert.Equal(c.DX, f.DX);
    }
}
