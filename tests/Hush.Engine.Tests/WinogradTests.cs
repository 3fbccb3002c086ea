using Hush.Engine.Kernels;
using Hush.Engine.Kernels.Reference;
using Hush.Engine.Kernels.Winograd;

namespace Hush.Engine.Tests;

/// <summary>Winograd F(4×4, 3×3) forward, backward-data and backward-weight against the direct scalar twin
/// (<see cref="ConvReference"/>), at every SIMD level this machine has, on sizes that leave partial tiles and
/// partial tile blocks.</summary>
public class WinogradTests
{
    private static readonly SimdLevel[] Levels = Enum.GetValues<SimdLevel>().Where(l => l <= Simd.Best).ToArray();

    public static IEnumerable<object[]> Cases() =>
    [
        [1, 48, 48, 37, 29, true],   // partial tiles on both axes
        [2, 16, 32, 32, 16, false],  // exact tiles, batch of 2
        [1, 32, 16, 5, 131, true],   // two tile rows of 33 tiles: a tile block of 32 and a one-tile tail
        [1, 16, 16, 6, 261, true],   // 66 tiles a row: tile blocks 32 + 32 + 2, weight blocks 64 + 2
        [1, 48, 48, 64, 64, true],   // ZS-N2N's shape
        [2, 64, 48, 13, 70, false],
        [1, 99, 64, 33, 30, true],   // channels padded to the vector width (99 → 112 with AVX-512)
        [1, 40, 20, 30, 34, false],  // both padded
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesDirectConvolution(int n, int cin, int cout, int h, int w, bool withBias)
    {
        ConvGeometry g = ConvGeometry.Create([n, cin, h, w], [cout, cin, 3, 3], withBias ? [cout] : null, 1, 1, 1, 1);
        var rng = new Rng(7);
        float[] x = TestUtil.Random(rng, g.N * g.Cin * g.H * g.W), wt = TestUtil.Random(rng, g.Cout * g.Cin * 9);
        float[]? b = withBias ? TestUtil.Random(rng, g.Cout) : null;
        float[] dy = TestUtil.Random(rng, g.OutputLength);

        var yRef = new float[g.OutputLength];
        ConvReference.Forward(g, yRef, x, wt, b);
        float[] dxInit = TestUtil.Random(new Rng(5), x.Length), dwInit = TestUtil.Random(new Rng(6), wt.Length);
        float[] dxRef = (float[])dxInit.Clone(), dwRef = (float[])dwInit.Clone();
        ConvReference.BackwardData(g, dxRef, dy, wt);
        ConvReference.BackwardWeight(g, dwRef, dy, x);

        // F(4×4, 3×3) in float32 rounds differently from direct summation: errors of a few 1e-6 of the largest
        // output here (sums of 144–576 products). An indexing mistake would be off by O(1).
        const double tolerance = 2e-5;
        int ran = 0;
        foreach (SimdLevel level in Levels)
        {
            if (!WinogradConv.Can(g, level)) continue;
            ran++;
            var y = new float[g.OutputLength];
            Array.Fill(y, float.NaN); // every output element must be written
            WinogradConv.Forward(g, y, x, wt, b, level);
            TestUtil.AssertClose(yRef, y, tolerance, $"forward {level}");

            float[] dx = (float[])dxInit.Clone(), dw = (float[])dwInit.Clone();
            WinogradConv.Backward(g, dx, dw, null, dy, x, wt, level);
            TestUtil.AssertClose(dxRef, dx, tolerance, $"backward-data {level}");
            TestUtil.AssertClose(dwRef, dw, tolerance, $"backward-weight {level}");

            // Either gradient alone gives the same numbers.
            float[] dxOnly = (float[])dxInit.Clone(), dwOnly = (float[])dwInit.Clone();
            WinogradConv.Backward(g, dxOnly, null, null, dy, x, wt, level);
            WinogradConv.Backward(g, null, dwOnly, null, dy, x, wt, level);
            Assert.Equal(dx, dxOnly);
            Assert.Equal(dw, dwOnly);
        }

        Assert.True(ran > 0, "no SIMD level took the Winograd path");
    }

    [Fact]
    public void FusedLeakyReluForwardAndMaskedBackwardMatchTheReference()
    {
        const float slope = 0.2f;
        ConvGeometry g = ConvGeometry.Create([2, 32, 27, 23], [16, 32, 3, 3], [16], 1, 1, 1, 1);
        var rng = new Rng(21);
        float[] x = TestUtil.Random(rng, g.N * g.Cin * g.H * g.W), wt = TestUtil.Random(rng, g.Cout * g.Cin * 9);
        float[] b = TestUtil.Random(rng, g.Cout), dy = TestUtil.Random(rng, g.OutputLength);

        var pre = new float[g.OutputLength];
        ConvReference.Forward(g, pre, x, wt, b);
        float[] yRef = pre.Select(v => v > 0 ? v : slope * v).ToArray();
        float[] dPre = dy.Select((d, i) => pre[i] > 0 ? d : slope * d).ToArray();
        float[] dxRef = new float[x.Length], dwRef = new float[wt.Length], dbRef = new float[g.Cout];
        ConvReference.BackwardData(g, dxRef, dPre, wt);
        ConvReference.BackwardWeight(g, dwRef, dPre, x);
        ConvReference.BackwardBias(g, dbRef, dPre);

        Assert.True(WinogradConv.Can(g, SimdLevel.Scalar));
        foreach (SimdLevel level in Levels)
        {
            if (!WinogradConv.Can(g, level)) continue;
            var y = new float[g.OutputLength];
            WinogradConv.Forward(g, y, x, wt, b, level, slope);
            TestUtil.AssertClose(yRef, y, 2e-5, $"forward + LeakyReLU {level}");
            float[] dx = new float[x.Length], dw = new float[wt.Length], db = new float[g.Cout];
            WinogradConv.Backward(g, dx, dw, db, dy, x, wt, level, y, slope);
            TestUtil.AssertClose(dxRef, dx, 2e-5, $"masked backward-data {level}");
            TestUtil.AssertClose(dwRef, dw, 2e-5, $"masked backward-weight {level}");
            TestUtil.AssertClose(dbRef, db, 1e-5, $"masked bias {level}");
            var dbOnly = new float[g.Cout];
            WinogradConv.Backward(g, null, null, dbOnly, dy, x, wt, level, y, slope); // bias without the weight job
            TestUtil.AssertClose(dbRef, dbOnly, 1e-5, $"bias alone {level}");
        }
    }

    [Theory]
    [InlineData(16, 16, 3, 1)] // Winograd
    [InlineData(3, 8, 3, 1)]   // direct fast path
    [InlineData(4, 6, 2, 0)]   // direct, even kernel
    public void Conv2dLeakyReluEqualsTheTwoOpComposition(int cin, int cout, int k, int pad)
    {
        (float[] Y, float[] Dx, float[] Dw, float[] Db) Run(bool fused)
        {
            var rng = new Rng(8);
            var x = Tensor.Parameter(TestUtil.Random(rng, 2 * cin * 26 * 34), 2, cin, 26, 34);
            var w = Tensor.Parameter(TestUtil.Random(rng, cout * cin * k * k), cout, cin, k, k);
            var b = Tensor.Parameter(TestUtil.Random(rng, cout), cout);
            Tensor y = fused ? Ops.Conv2dLeakyRelu(x, w, b, 0.2f, padding: pad) : Ops.LeakyRelu(Ops.Conv2d(x, w, b, padding: pad), 0.2f);
            var r = Tensor.FromArray(TestUtil.Random(new Rng(9), y.Length), y.Shape);
            Ops.Sum(Ops.Mul(y, r)).Backward();
            return (y.Data, x.Grad!, w.Grad!, b.Grad!);
        }

        var a = Run(false);
        var f = Run(true);
        Assert.Equal(a.Y, f.Y);
        Assert.Equal(a.Dx, f.Dx);
        Assert.Equal(a.Dw, f.Dw);
        Assert.Equal(a.Db, f.Db);
    }

    [Fact]
    public void ASecondBackwardPassRecomputesWhatTheFirstConsumed()
    {
        var rng = new Rng(4);
        var x = Tensor.FromArray(TestUtil.Random(rng, 16 * 40 * 40), 1, 16, 40, 40);
        var w = Tensor.Parameter(TestUtil.Random(rng, 16 * 16 * 9), 16, 16, 3, 3);
        Tensor loss = Ops.Sum(Ops.Mul(Ops.Conv2d(x, w, padding: 1), Ops.Conv2d(x, w, padding: 1)));
        loss.Backward();
        float[] once = (float[])w.Grad!.Clone();
        loss.Backward(); // the padded copy of x kept by the forward pass was used up by the first pass
        for (int i = 0; i < once.Length; i++) Assert.Equal(2 * once[i], w.Grad![i], 2 * Math.Abs(once[i]) * 1e-5f + 1e-5f);
    }

    [Fact]
    public void Conv2dLeakyReluRejectsNegativeSlopes()
    {
        var x = Tensor.Zeros(1, 1, 4, 4);
        var w = Tensor.Zeros(1, 1, 3, 3);
        Assert.Throws<ArgumentOutOfRangeException>(() => Ops.Conv2dLeakyRelu(x, w, null, -0.1f));
    }

    [Fact]
    public void EligibilityFollowsShapeAndVectorWidth()
    {
        ConvGeometry Make(int cin, int cout, int k, int pad, int stride = 1) =>
            ConvGeometry.Create([1, cin, 40, 40], [cout, cin, k, k], null, stride, pad, 1, 1);
        Assert.True(WinogradConv.Can(Make(48, 48, 3, 1), SimdLevel.Avx512));
        Assert.False(WinogradConv.Can(Make(3, 48, 3, 1), SimdLevel.Avx512));   // too few input channels
        Assert.True(WinogradConv.Can(Make(24, 48, 3, 1), SimdLevel.Avx512));   // channels padded to 32 inside
        Assert.False(WinogradConv.Can(Make(8, 48, 3, 1), SimdLevel.Avx2));     // too few channels to pay off
        Assert.False(WinogradConv.Can(Make(48, 48, 3, 0), SimdLevel.Avx512));  // not "same" padding
        Assert.False(WinogradConv.Can(Make(48, 48, 1, 0), SimdLevel.Avx512));
        Assert.False(WinogradConv.Can(Make(48, 48, 3, 1, stride: 2), SimdLevel.Avx512));
        Assert.False(WinogradConv.Can(ConvGeometry.Create([1, 48, 16, 16], [48, 48, 3, 3], null, 1, 1, 1, 1), SimdLevel.Avx512)); // 16 tiles: too small
    }

    [Fact]
    public void SameThreadCountGivesIdenticalResults()
    {
        ConvGeometry g = ConvGeometry.Create([1, 48, 40, 90], [48, 48, 3, 3], [48], 1, 1, 1, 1);
        var rng = new Rng(3);
        float[] x = TestUtil.Random(rng, 48 * 40 * 90), wt = TestUtil.Random(rng, 48 * 48 * 9), b = TestUtil.Random(rng, 48);
        float[] dy = TestUtil.Random(rng, g.OutputLength);
        float[] Run()
        {
            var y = new float[g.OutputLength];
            var dx = new float[x.Length];
            var dw = new float[wt.Length];
            WinogradConv.Forward(g, y, x, wt, b, Simd.Best);
            WinogradConv.Backward(g, dx, dw, null, dy, x, wt, Simd.Best);
            return [.. y, .. dx, .. dw];
        }

        Assert.Equal(Run(), Run());
    }
}

public class TransposeTests
{
    [Fact]
    public unsafe void Block16MatchesScalarTwin()
    {
        var rng = new Rng(11);
        float[] src = TestUtil.Random(rng, 20 * 37);
        var fast = new float[18 * 40];
        var slow = new float[18 * 40];
        fixed (float* s = src, f = fast, t = slow)
        {
            Transpose.Block16(s + 3, 37, f + 2, 40);
            Transpose.BlockScalar(s + 3, 37, t + 2, 40, 16, 16);
        }

        Assert.Equal(slow, fast);
        for (int i = 0; i < 16; i++)
        {
            for (int j = 0; j < 16; j++) Assert.Equal(src[3 + i * 37 + j], fast[2 + j * 40 + i]);
        }
    }

    // The epilogues around the transpose (bias, LeakyReLU, accumulation; the LeakyReLU-gradient mask) against the
    // element-by-element formulas, on whichever of the AVX-512, AVX2 and scalar paths this run takes.
    [Theory]
    [InlineData(false, null)]
    [InlineData(true, 0.2f)]
    public unsafe void Block16IntoAppliesBiasActivationAndAccumulation(bool accumulate, float? leaky)
    {
        var rng = new Rng(12);
        float[] src = TestUtil.Random(rng, 20 * 37), bias = TestUtil.Random(rng, 16), dst = TestUtil.Random(rng, 18 * 40);
        float[] before = (float[])dst.Clone();
        fixed (float* s = src, d = dst, b = bias) Transpose.Block16Into(s + 3, 37, d + 2, 40, b, accumulate, leaky);
        for (int i = 0; i < 16; i++)
            for (int j = 0; j < 16; j++)
            {
                float v = src[3 + i * 37 + j] + bias[j];
                if (leaky is float slope && !(v > 0f)) v *= slope;
                Assert.Equal(accumulate ? before[2 + j * 40 + i] + v : v, dst[2 + j * 40 + i]);
            }
    }

    [Fact]
    public unsafe void Block16MaskedScalesByTheMaskSign()
    {
        var rng = new Rng(13);
        float[] src = TestUtil.Random(rng, 20 * 37), mask = TestUtil.Random(rng, 20 * 37), dst = new float[18 * 40];
        fixed (float* s = src, m = mask, d = dst) Transpose.Block16Masked(s + 3, m + 3, 37, 0.1f, d + 2, 40);
        for (int i = 0; i < 16; i++)
            for (int j = 0; j < 16; j++)
            {
                float v = src[3 + i * 37 + j];
                Assert.Equal(mask[3 + i * 37 + j] > 0f ? v : v * 0.1f, dst[2 + j * 40 + i]);
            }
    }
}

/// <summary>Each test runs on a pool of its own, so regions of tests running at the same time cannot make it run
/// serially (the pool's fallback while another caller's region runs).</summary>
public class WorkerPoolTests
{
    private static EngineContext Own() => new(2);

    [Fact]
    public void EveryPartRunsOnceAndNestedRegionsRunSerially()
    {
        using var context = Own();
        var hits = new int[1000];
        for (int round = 0; round < 200; round++)
        {
            context.Pool.Run(hits.Length, 2, (s, e) =>
            {
                for (int i = s; i < e; i++) Interlocked.Increment(ref hits[i]);
                context.Pool.Run(4, 2, (a, b) => { }); // nested: must not deadlock
            });
        }

        Assert.All(hits, h => Assert.Equal(200, h));
    }

    [Fact]
    public void ExceptionsReachTheCaller()
    {
        using var context = Own();
        var error = Assert.Throws<InvalidOperationException>(() =>
            context.Pool.Run(10, 2, (s, e) => { if (s > 0) throw new InvalidOperationException("part 1"); }));
        Assert.Equal("part 1", error.Message);
        int sum = 0;
        context.Pool.Run(10, 2, (s, e) => Interlocked.Add(ref sum, e - s)); // still usable afterwards
        Assert.Equal(10, sum);
    }

    [Theory]
    [InlineData(1000, 7)]
    [InlineData(5, 1)]
    [InlineData(64, 64)]
    [InlineData(3, 10)]
    public void BalancedRegionsRunEveryIndexOnceInChunksOfTheGrain(int count, int grain)
    {
        using var context = Own();
        var hits = new int[count];
        var chunks = new System.Collections.Concurrent.ConcurrentBag<(int Start, int End)>();
        for (int round = 0; round < 50; round++)
        {
            chunks.Clear();
            context.Pool.Run(count, 2, grain, new ActionBody((s, e) =>
            {
                chunks.Add((s, e));
                for (int i = s; i < e; i++) Interlocked.Increment(ref hits[i]);
            }));
            Assert.All(chunks, c =>
            {
                Assert.Equal(0, c.Start % grain);
                Assert.Equal(Math.Min(count, c.Start + grain), c.End);
            });
        }

        Assert.All(hits, h => Assert.Equal(50, h));
    }

    [Fact]
    public void ExceptionsInBalancedRegionsReachTheCaller()
    {
        using var context = Own();
        var error = Assert.Throws<InvalidOperationException>(() =>
            context.Pool.Run(100, 2, 10, new ActionBody((s, e) => { if (s == 50) throw new InvalidOperationException("chunk 5"); })));
        Assert.Equal("chunk 5", error.Message);
    }
}
