using Hush.Engine.Kernels;
using Hush.Engine.Kernels.Winograd;

namespace Hush.Engine.Tests;

/// <summary>The fused stem (two 3×3 LeakyReLU convolutions whose activation stays channels-last) against the two
/// separate ops it replaces: values and every parameter gradient, on shapes that take the fused path (Winograd for the
/// second layer), with image sides that are not multiples of the 4×4 tile, batches, one and three input channels, and
/// one and two threads. The separate ops are tested against direct convolution and finite differences elsewhere.</summary>
public class ConvStemTests
{
    [Theory]
    [InlineData(1, 3, 32, 32, 1)]
    [InlineData(2, 3, 37, 45, 2)]
    [InlineData(1, 1, 33, 40, 2)]
    [InlineData(2, 3, 64, 48, 1)]
    public void TheStemEqualsTwoLeakyReluConvolutions(int n, int c, int h, int w, int threads)
    {
        int saved = Threading.MaxThreads;
        Threading.MaxThreads = threads;
        try
        {
            const int k = 48;
            const float slope = 0.2f;
            var rng = new Rng(11);
            var x = Tensor.FromArray(TestUtil.Random(rng, n * c * h * w), n, c, h, w);
            Tensor[] Parameters() =>
            [
                Tensor.Parameter(TestUtil.Random(new Rng(1), k * c * 9, -0.5f, 0.5f), k, c, 3, 3),
                Tensor.Parameter(TestUtil.Random(new Rng(2), k, -0.1f, 0.1f), k),
                Tensor.Parameter(TestUtil.Random(new Rng(3), k * k * 9, -0.1f, 0.1f), k, k, 3, 3),
                Tensor.Parameter(TestUtil.Random(new Rng(4), k, -0.1f, 0.1f), k),
            ];
            float[] r = TestUtil.Random(new Rng(5), n * k * h * w);
            var weights = Tensor.FromArray(r, n, k, h, w);

            Tensor[] fused = Parameters(), separate = Parameters();
            Tensor yf = Ops.Conv2dLeakyReluStem(x, fused[0], fused[1], fused[2], fused[3], slope);
            Tensor ys = Ops.Conv2dLeakyRelu(Ops.Conv2dLeakyRelu(x, separate[0], separate[1], slope, padding: 1), separate[2], separate[3], slope, padding: 1);
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
        finally
        {
            Threading.MaxThreads = saved;
        }
    }

    [Fact]
    public void TheSameThreadCountGivesTheSameBits()
    {
        int saved = Threading.MaxThreads;
        Threading.MaxThreads = 2;
        try
        {
            (float[] Y, float[] DW1, float[] DW2) Run()
            {
                var x = Tensor.FromArray(TestUtil.Random(new Rng(9), 2 * 3 * 40 * 36), 2, 3, 40, 36);
                var w1 = Tensor.Parameter(TestUtil.Random(new Rng(1), 48 * 27, -0.5f, 0.5f), 48, 3, 3, 3);
                var b1 = Tensor.Parameter(TestUtil.Random(new Rng(2), 48, -0.1f, 0.1f), 48);
                var w2 = Tensor.Parameter(TestUtil.Random(new Rng(3), 48 * 48 * 9, -0.1f, 0.1f), 48, 48, 3, 3);
                var b2 = Tensor.Parameter(TestUtil.Random(new Rng(4), 48, -0.1f, 0.1f), 48);
                Tensor y = Ops.Conv2dLeakyReluStem(x, w1, b1, w2, b2, 0.2f);
                Ops.Sum(Ops.Mul(y, y)).Backward();
                return (y.Data, w1.Grad!, w2.Grad!);
            }

            var a = Run();
            var b = Run();
            Assert.Equal(a.Y, b.Y);
            Assert.Equal(a.DW1, b.DW1);
            Assert.Equal(a.DW2, b.DW2);
        }
        finally
        {
            Threading.MaxThreads = saved;
        }
    }

    [Fact]
    public void AnInputThatNeedsAGradientTakesTheSeparateOps()
    {
        var x = Tensor.Parameter(TestUtil.Random(new Rng(9), 3 * 32 * 32), 1, 3, 32, 32);
        var w1 = Tensor.Parameter(TestUtil.Random(new Rng(1), 48 * 27, -0.5f, 0.5f), 48, 3, 3, 3);
        var b1 = Tensor.Parameter(new float[48], 48);
        var w2 = Tensor.Parameter(TestUtil.Random(new Rng(3), 48 * 48 * 9, -0.1f, 0.1f), 48, 48, 3, 3);
        var b2 = Tensor.Parameter(new float[48], 48);
        Ops.Sum(Ops.Conv2dLeakyReluStem(x, w1, b1, w2, b2, 0.2f)).Backward();
        Assert.NotNull(x.Grad);
        Assert.Contains(x.Grad!, v => v != 0f);
    }
}
