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
            Tensor[] Parameters() =>
            [
                Tensor.Parameter(TestUtil.Random(new Rng(1), k * c * 9, -0.5f, 0.5f), k, c, 3, 3),
                Tensor.Parameter(TestUtil.Random(new Rng(2), k, -0.1f, 0.1f), k),
                Tensor.Parameter(TestUtil.Random(new Rng(3), k * k * 9, -0.1f, 0.1f), k, k, 3, 3),
                Tensor.Parameter(TestUtil.Random(new Rng(4), k, -0.1f, 0.1f), k),
            ];
            Tensor x = InputAwayFromTheKinks(n, c, h, w, Parameters(), slope);
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

    [Theory]
    [InlineData(1, 3, 32, 32, 1)]
    [InlineData(2, 3, 37, 45, 2)]
    [InlineData(1, 1, 33, 40, 2)]
    public void TheStemWithAHeadEqualsThreeConvolutions(int n, int c, int h, int w, int threads)
    {
        int saved = Threading.MaxThreads;
        Threading.MaxThreads = threads;
        try
        {
            const int k = 48;
            const float slope = 0.2f;
            Tensor[] Parameters() =>
            [
                Tensor.Parameter(TestUtil.Random(new Rng(1), k * c * 9, -0.5f, 0.5f), k, c, 3, 3),
                Tensor.Parameter(TestUtil.Random(new Rng(2), k, -0.1f, 0.1f), k),
                Tensor.Parameter(TestUtil.Random(new Rng(3), k * k * 9, -0.1f, 0.1f), k, k, 3, 3),
                Tensor.Parameter(TestUtil.Random(new Rng(4), k, -0.1f, 0.1f), k),
                Tensor.Parameter(TestUtil.Random(new Rng(6), c * k, -0.3f, 0.3f), c, k, 1, 1),
                Tensor.Parameter(TestUtil.Random(new Rng(7), c, -0.1f, 0.1f), c),
            ];
            Tensor x = InputAwayFromTheKinks(n, c, h, w, Parameters(), slope);
            var weights = Tensor.FromArray(TestUtil.Random(new Rng(5), n * c * h * w), n, c, h, w);

            Tensor[] fused = Parameters(), separate = Parameters();
            Tensor yf = Ops.Conv2dLeakyReluStemHead(x, fused[0], fused[1], fused[2], fused[3], fused[4], fused[5], slope);
            Tensor hs = Ops.Conv2dLeakyRelu(Ops.Conv2dLeakyRelu(x, separate[0], separate[1], slope, padding: 1), separate[2], separate[3], slope, padding: 1);
            Tensor ys = Ops.Conv2d(hs, separate[4], separate[5]);
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
        finally
        {
            Threading.MaxThreads = saved;
        }
    }

    // The fused and the separate ops round differently (the first layer sums its taps in another order), by about
    // 1e-7. An activation that close to 0 can come out with opposite signs, and then LeakyReLU's gradient there is 1
    // in one and the slope in the other: a true difference at the kink, not an error (one such activation at
    // 1.9e-7 moved w2's gradient by 0.1 in the scalar run of a 37×45 case). So the input is drawn, from a fixed
    // sequence of seeds, such that no activation of either layer lies within 1e-6 of 0.
    private static Tensor InputAwayFromTheKinks(int n, int c, int h, int w, Tensor[] p, float slope)
    {
        using var _ = Autograd.NoGrad();
        for (ulong seed = 12; seed < 112; seed++)
        {
            var x = Tensor.FromArray(TestUtil.Random(new Rng(seed), n * c * h * w), n, c, h, w);
            Tensor h1 = Ops.Conv2dLeakyRelu(x, p[0], p[1], slope, padding: 1), h2 = Ops.Conv2dLeakyRelu(h1, p[2], p[3], slope, padding: 1);
            if (h1.Data.All(v => Math.Abs(v) > 1e-6f) && h2.Data.All(v => Math.Abs(v) > 1e-6f)) return x;
        }

        Assert.Fail("no input among 100 seeds keeps every activation 1e-6 away from 0");
        return null!;
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
