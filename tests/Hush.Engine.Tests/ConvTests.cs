using Hush.Engine;
using Hush.Engine.Kernels;
using Hush.Engine.Kernels.Reference;

namespace Hush.Engine.Tests;

public class ConvTests
{
    private static readonly SimdLevel[] Levels =
        Enum.GetValues<SimdLevel>().Where(l => l <= Simd.Best).ToArray();

    public record Case(int N, int Cin, int Cout, int H, int W, int K, int Stride, int Pad, int Dil, int Groups, bool Bias)
    {
        internal ConvGeometry Geometry() => ConvGeometry.Create([N, Cin, H, W], [Cout, Cin / Groups, K, K], Bias ? [Cout] : null, Stride, Pad, Dil, Groups);
    }

    // Random configurations over k in {1,2,3,5}, stride {1,2}, padding {0,1,2}, dilation {1,2},
    // groups {1, depthwise, 2}, bias or not, N in {1,2}, odd sizes.
    public static IEnumerable<object[]> RandomCases()
    {
        var rng = new Rng(1234);
        int[] ks = [1, 2, 3, 5];
        var cases = new List<object[]>();
        while (cases.Count < 60)
        {
            int k = ks[rng.NextUInt64() % 4];
            int stride = 1 + (int)(rng.NextUInt64() % 2), pad = (int)(rng.NextUInt64() % 3), dil = 1 + (int)(rng.NextUInt64() % 2);
            int groupsKind = (int)(rng.NextUInt64() % 3);
            int cin = 1 + (int)(rng.NextUInt64() % 7), cout = 1 + (int)(rng.NextUInt64() % 14);
            int groups = 1;
            if (groupsKind == 1) { groups = cin; cout = cin * (1 + (int)(rng.NextUInt64() % 2)); }
            else if (groupsKind == 2 && cin % 2 == 0) { groups = 2; cout = 2 * (1 + (int)(rng.NextUInt64() % 5)); }
            int h = 3 + (int)(rng.NextUInt64() % 17), w = 3 + (int)(rng.NextUInt64() % 40);
            if (h + 2 * pad - dil * (k - 1) - 1 < 0 || w + 2 * pad - dil * (k - 1) - 1 < 0) continue;
            int n = 1 + (int)(rng.NextUInt64() % 2);
            bool bias = rng.NextFloat() < 0.5f;
            cases.Add([new Case(n, cin, cout, h, w, k, stride, pad, dil, groups, bias)]);
        }

        return cases;
    }

    public static IEnumerable<object[]> FastCases() =>
    [
        [new Case(1, 48, 48, 37, 29, 3, 1, 1, 1, 1, true)],
        [new Case(1, 3, 48, 37, 29, 1, 1, 0, 1, 1, true)],
        [new Case(1, 48, 3, 37, 29, 1, 1, 0, 1, 1, true)],
        [new Case(2, 3, 48, 21, 70, 3, 1, 1, 1, 1, false)],
        [new Case(1, 48, 1, 19, 33, 3, 1, 1, 1, 1, true)],
        [new Case(1, 7, 13, 17, 81, 3, 1, 2, 2, 1, true)],
        [new Case(1, 5, 8, 9, 18, 2, 1, 0, 1, 1, false)],
        [new Case(2, 4, 9, 11, 23, 5, 1, 2, 1, 1, true)],
        [new Case(1, 6, 12, 15, 64, 3, 1, 0, 1, 1, true)],
        [new Case(2, 48, 3, 5, 32, 1, 1, 0, 1, 1, true)],  // 1×1 on a width of 32: the input is used without a copy
        [new Case(1, 3, 48, 4, 16, 1, 1, 0, 1, 1, false)],
        // a pre-padded 34-wide input of a 32-wide output: read where it lies, no copy; 3 output channels through the
        // weight gradient's three-channel kernels
        [new Case(2, 40, 3, 6, 34, 3, 1, 0, 1, 1, true)],
        [new Case(1, 16, 7, 9, 50, 3, 1, 1, 1, 1, false)], // partial weight blocks: 4 + 3 (AVX2), 3 + 3 + 1 (AVX-512)
    ];

    private static (float[] X, float[] W, float[]? B, float[] DY) Data(Case c, ConvGeometry g, ulong seed)
    {
        var rng = new Rng(seed);
        return (TestUtil.Random(rng, g.N * g.Cin * g.H * g.W), TestUtil.Random(rng, g.Cout * g.CinG * g.KH * g.KW),
            c.Bias ? TestUtil.Random(rng, g.Cout) : null, TestUtil.Random(rng, g.OutputLength));
    }

    [Theory]
    [MemberData(nameof(RandomCases))]
    [MemberData(nameof(FastCases))]
    public void KernelsMatchScalarTwin(Case c)
    {
        ConvGeometry g = c.Geometry();
        (float[] x, float[] w, float[]? b, float[] dy) = Data(c, g, 99);

        var yRef = new float[g.OutputLength];
        ConvReference.Forward(g, yRef, x, w, b);
        var dxRef = TestUtil.Random(new Rng(5), x.Length); // non-zero start: backward must accumulate
        var dxInit = (float[])dxRef.Clone();
        var dwRef = TestUtil.Random(new Rng(6), w.Length);
        var dwInit = (float[])dwRef.Clone();
        var dbRef = new float[g.Cout];
        ConvReference.BackwardData(g, dxRef, dy, w);
        ConvReference.BackwardWeight(g, dwRef, dy, x);
        ConvReference.BackwardBias(g, dbRef, dy);

        var y = new float[g.OutputLength];
        Conv2dKernels.ForwardGeneral(g, y, x, w, b);
        TestUtil.AssertClose(yRef, y, 1e-5, "general forward");
        var dx = (float[])dxInit.Clone();
        Conv2dKernels.BackwardDataGeneral(g, dx, dy, w);
        TestUtil.AssertClose(dxRef, dx, 1e-5, "general backward-data");
        var dw = (float[])dwInit.Clone();
        Conv2dKernels.BackwardWeightGeneral(g, dw, dy, x);
        TestUtil.AssertClose(dwRef, dw, 1e-5, "general backward-weight");
        var db = new float[g.Cout];
        Conv2dKernels.BackwardBias(g, db, dy);
        TestUtil.AssertClose(dbRef, db, 1e-5, "bias");

        if (!Conv2dFast.CanForward(g)) return;
        foreach (SimdLevel level in Levels)
        {
            Array.Fill(y, float.NaN);
            Conv2dFast.Forward(g, y, x, w, b, level);
            TestUtil.AssertClose(yRef, y, 1e-5, $"fast forward {level}");
            dw = (float[])dwInit.Clone();
            Conv2dFast.BackwardWeight(g, dw, dy, x, level);
            TestUtil.AssertClose(dwRef, dw, 1e-5, $"fast backward-weight {level}");
            if (Conv2dFast.CanBackwardData(g))
            {
                dx = (float[])dxInit.Clone();
                Conv2dFast.BackwardData(g, dx, dy, w, level);
                TestUtil.AssertClose(dxRef, dx, 1e-5, $"fast backward-data {level}");
            }
        }
    }

    [Fact]
    public void SimdLevelFollowsRuntimeSwitches()
    {
        // The suite is meant to be run three ways (see README.md); make sure each really selects its path.
        // Note: on .NET 10 it is DOTNET_EnableAVX512=0 that turns AVX-512 off; DOTNET_EnableAVX512F=0 is ignored.
        if (Environment.GetEnvironmentVariable("DOTNET_EnableHWIntrinsic") == "0") Assert.Equal(SimdLevel.Scalar, Simd.Best);
        else if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX512") == "0") Assert.NotEqual(SimdLevel.Avx512, Simd.Best);
    }

    [Fact]
    public void FastPathIsUsedForStrideOneAndMatchesGeneral()
    {
        var c = new Case(1, 48, 48, 37, 29, 3, 1, 1, 1, 1, true);
        ConvGeometry g = c.Geometry();
        Assert.True(Conv2dFast.CanForward(g) && Conv2dFast.CanBackwardData(g));
        (float[] x, float[] w, float[]? b, _) = Data(c, g, 3);
        var yFast = new float[g.OutputLength];
        var yGen = new float[g.OutputLength];
        Conv2dKernels.Forward(g, yFast, x, w, b);
        Conv2dKernels.ForwardGeneral(g, yGen, x, w, b);
        TestUtil.AssertClose(yGen, yFast, 1e-5, "dispatch vs general");
        Assert.False(Conv2dFast.CanBackwardData(new Case(1, 2, 2, 8, 8, 1, 1, 1, 1, 1, false).Geometry())); // negative transposed padding
        Assert.False(Conv2dFast.CanForward(new Case(1, 2, 2, 8, 8, 3, 2, 1, 1, 1, false).Geometry()));
    }

    [Theory]
    [InlineData(1, 3, 1, 1, 1, true)]
    [InlineData(2, 3, 1, 1, 1, false)]
    [InlineData(1, 3, 2, 1, 1, true)]
    [InlineData(1, 2, 2, 0, 1, true)]  // the depthwise downsampler shape (with groups below)
    [InlineData(2, 3, 1, 2, 2, true)]
    [InlineData(1, 5, 1, 2, 1, false)]
    public void GradientsMatchFiniteDifferences(int n, int k, int stride, int pad, int dil, bool bias)
    {
        foreach (int groups in new[] { 1, 2 })
        {
            var rng = new Rng((ulong)(k * 100 + stride * 10 + pad + groups));
            int cin = 4, cout = 4, h = 9, w = 8;
            Tensor x = Tensor.Parameter(TestUtil.Random(rng, n * cin * h * w), n, cin, h, w);
            Tensor wt = Tensor.Parameter(TestUtil.Random(rng, cout * cin / groups * k * k), cout, cin / groups, k, k);
            Tensor? b = bias ? Tensor.Parameter(TestUtil.Random(rng, cout), cout) : null;
            Tensor[] inputs = b is null ? [x, wt] : [x, wt, b];
            float[][] grads = TestUtil.GradCheck(t => Ops.Conv2d(t[0], t[1], t.Length > 2 ? t[2] : null, stride, pad, dil, groups), inputs);

            // and the analytic gradients equal the scalar twin's
            ConvGeometry g = ConvGeometry.Create(x.Shape, wt.Shape, b?.Shape, stride, pad, dil, groups);
            Tensor probe;
            using (Autograd.NoGrad()) probe = Ops.Conv2d(x, wt, b, stride, pad, dil, groups);
            float[] r = TestUtil.Random(new Rng(7), probe.Length);
            var dx = new float[x.Length];
            var dw = new float[wt.Length];
            ConvReference.BackwardData(g, dx, r, wt.Data);
            ConvReference.BackwardWeight(g, dw, r, x.Data);
            TestUtil.AssertClose(dx, grads[0], 1e-5, "dX vs twin");
            TestUtil.AssertClose(dw, grads[1], 1e-5, "dW vs twin");
        }
    }

    [Fact]
    public void DepthwiseStrideTwoDownsampler()
    {
        // ZS-N2N pair downsampler: fixed 2x2 weights, groups = C, stride 2
        const int c = 3;
        var rng = new Rng(11);
        Tensor x = Tensor.FromArray(TestUtil.Random(rng, c * 6 * 7), 1, c, 6, 7);
        var wd = new float[c * 4];
        for (int i = 0; i < c; i++) { wd[i * 4] = 0.5f; wd[i * 4 + 3] = 0.5f; }
        Tensor y = Ops.Conv2d(x, Tensor.FromArray(wd, c, 1, 2, 2), stride: 2, groups: c);
        Assert.Equal([1, c, 3, 3], y.Shape);
        for (int ch = 0; ch < c; ch++)
        for (int oy = 0; oy < 3; oy++)
        for (int ox = 0; ox < 3; ox++)
        {
            float expected = 0.5f * x.Data[(ch * 6 + 2 * oy) * 7 + 2 * ox] + 0.5f * x.Data[(ch * 6 + 2 * oy + 1) * 7 + 2 * ox + 1];
            Assert.Equal(expected, y.Data[(ch * 3 + oy) * 3 + ox], 6);
        }
    }

    [Fact]
    public void SameSeedAndThreadsGiveBitIdenticalResults()
    {
        using var context = TestUtil.Threads(2); // Threading.MaxThreads below sets this context's count only
        var results = new List<float[][]>();
        foreach (int threads in new[] { 2, 2, 1 })
        {
            Threading.MaxThreads = threads;
            var rng = new Rng(42);
            Tensor x = Tensor.Parameter(TestUtil.Random(rng, 2 * 16 * 40 * 35), 2, 16, 40, 35);
            Tensor w = Tensor.Parameter(TestUtil.Random(rng, 16 * 16 * 9), 16, 16, 3, 3);
            Tensor b = Tensor.Parameter(TestUtil.Random(rng, 16), 16);
            Tensor w2 = Tensor.Parameter(TestUtil.Random(rng, 16 * 4), 16, 1, 2, 2);
            Tensor y = Ops.Conv2d(Ops.LeakyRelu(Ops.Conv2d(x, w, b, padding: 1), 0.2f), w2, stride: 2, groups: 16);
            Tensor loss = Ops.MseLoss(y, Tensor.Zeros(y.Shape));
            loss.Backward();
            results.Add([y.Data, x.Grad!, w.Grad!, b.Grad!, w2.Grad!, [loss.Item()]]);
        }

        for (int k = 0; k < results[0].Length; k++)
        {
            Assert.Equal(results[0][k], results[1][k]); // same threads: bit-identical
            // Another thread count may sum partial weight gradients in another grouping (Winograd's dW sums
            // one partial per thread): equal up to float rounding, not bit for bit.
            TestUtil.AssertClose(results[0][k], results[2][k], 1e-5, $"1 vs 2 threads, result {k}");
        }
    }
}
