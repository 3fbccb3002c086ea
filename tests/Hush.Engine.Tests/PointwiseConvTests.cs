using Hush.Engine.Kernels;
using Hush.Engine.Kernels.Reference;

namespace Hush.Engine.Tests;

/// <summary>The 1×1 convolution's packed-GEMM path (<see cref="PointwiseConv"/>) against the direct scalar twin
/// (<see cref="ConvReference"/>) at every SIMD level this machine has, on pixel counts that leave partial vectors,
/// partial column blocks and partial weight blocks, channel counts that are not a multiple of the vector width, batches,
/// and one and two threads (the kernels are called directly, below the size where Conv2dKernels starts using them).</summary>
public class PointwiseConvTests
{
    private static readonly SimdLevel[] Levels = Enum.GetValues<SimdLevel>().Where(l => l <= Simd.Best).ToArray();

    public static IEnumerable<object[]> Cases() =>
    [
        [1, 128, 128, 32, 32, true],  // Deep Image Prior's 128→128, whole blocks
        [2, 48, 3, 13, 29, true],     // an RGB output layer: 377 pixels (a partial vector and column block), batch of 2
        [1, 3, 48, 17, 31, false],    // an RGB input layer: 3 channels padded to a vector in the weight gradient
        [1, 32, 4, 40, 41, true],     // Deep Image Prior's skip branch: fewer output rows than one register block
        [2, 99, 20, 9, 70, false],    // both channel counts ragged, 630 pixels: three weight blocks of 256, the last partial
        [1, 16, 16, 1, 7, true],      // fewer pixels than one vector
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesDirectConvolution(int n, int cin, int cout, int h, int w, bool withBias)
    {
        ConvGeometry g = ConvGeometry.Create([n, cin, h, w], [cout, cin, 1, 1], withBias ? [cout] : null, 1, 0, 1, 1);
        var rng = new Rng(11);
        float[] x = TestUtil.Random(rng, g.N * g.Cin * g.H * g.W), wt = TestUtil.Random(rng, g.Cout * g.Cin);
        float[]? b = withBias ? TestUtil.Random(rng, g.Cout) : null;
        float[] dy = TestUtil.Random(rng, g.OutputLength);

        var yRef = new float[g.OutputLength];
        ConvReference.Forward(g, yRef, x, wt, b);
        // The backward kernels accumulate: start from non-zero gradients.
        float[] dxInit = TestUtil.Random(new Rng(5), x.Length), dwInit = TestUtil.Random(new Rng(6), wt.Length);
        float[] dxRef = (float[])dxInit.Clone(), dwRef = (float[])dwInit.Clone();
        ConvReference.BackwardData(g, dxRef, dy, wt);
        ConvReference.BackwardWeight(g, dwRef, dy, x);

        // Sums of up to 128 (forward, backward-data) or 2·1024 (weight) products of values in [-1, 1], in another
        // order than the reference's: a few 1e-6 of the largest value. A wrong index is off by O(1).
        const double tolerance = 1e-5;
        using var context = TestUtil.Threads(2); // Threading.MaxThreads below sets this context's count only
        {
            foreach (int threads in new[] { 1, 2 })
            {
                Threading.MaxThreads = threads;
                foreach (SimdLevel level in Levels)
                {
                    string what = $"{level}, {threads} thread(s)";
                    var y = new float[g.OutputLength];
                    Array.Fill(y, float.NaN); // every output element must be written
                    PointwiseConv.Forward(g, y, x, wt, b, level);
                    TestUtil.AssertClose(yRef, y, tolerance, $"forward {what}");

                    float[] dx = (float[])dxInit.Clone(), dw = (float[])dwInit.Clone();
                    PointwiseConv.BackwardData(g, dx, dy, wt, level);
                    PointwiseConv.BackwardWeight(g, dw, dy, x, level);
                    TestUtil.AssertClose(dxRef, dx, tolerance, $"backward-data {what}");
                    TestUtil.AssertClose(dwRef, dw, tolerance, $"backward-weight {what}");

                    // Deterministic for a thread count: a second call gives the same bits.
                    float[] dw2 = (float[])dwInit.Clone();
                    PointwiseConv.BackwardWeight(g, dw2, dy, x, level);
                    Assert.Equal(dw, dw2);
                }
            }
        }
    }

    [Fact]
    public void FusedLeakyReluIsTheActivationOfTheAffineOutput()
    {
        const float slope = 0.2f;
        ConvGeometry g = ConvGeometry.Create([1, 24, 19, 23], [40, 24, 1, 1], [40], 1, 0, 1, 1);
        var rng = new Rng(12);
        float[] x = TestUtil.Random(rng, g.Cin * g.H * g.W), wt = TestUtil.Random(rng, g.Cout * g.Cin), b = TestUtil.Random(rng, g.Cout);
        foreach (SimdLevel level in Levels)
        {
            float[] affine = new float[g.OutputLength], fused = new float[g.OutputLength];
            PointwiseConv.Forward(g, affine, x, wt, b, level);
            PointwiseConv.Forward(g, fused, x, wt, b, level, slope);
            Assert.Equal(affine.Select(v => v > 0f ? v : slope * v).ToArray(), fused);
            Assert.Contains(affine, v => v < 0f); // the slope was exercised
        }
    }

    [Fact]
    public void OnlyUnpaddedStrideOneOneByOneConvolutionsOfAWholeWeightBlockTakeThisPath()
    {
        Assert.True(PointwiseConv.Can(ConvGeometry.Create([1, 8, 16, 16], [8, 8, 1, 1], null, 1, 0, 1, 1)));
        Assert.False(PointwiseConv.Can(ConvGeometry.Create([4, 96, 1, 1], [6, 96, 1, 1], null, 1, 0, 1, 1))); // pooled
        Assert.False(PointwiseConv.Can(ConvGeometry.Create([1, 8, 16, 16], [8, 8, 3, 3], null, 1, 1, 1, 1)));
        Assert.False(PointwiseConv.Can(ConvGeometry.Create([1, 8, 32, 32], [8, 8, 1, 1], null, 2, 0, 1, 1)));
        Assert.False(PointwiseConv.Can(ConvGeometry.Create([1, 8, 16, 16], [8, 8, 1, 1], null, 1, 1, 1, 1)));
        Assert.False(PointwiseConv.Can(ConvGeometry.Create([1, 8, 16, 16], [8, 4, 1, 1], null, 1, 0, 1, 2)));
    }
}
