using Hush.Engine.Fused;
using Hush.Engine.Kernels;
using Hush.Engine.Kernels.Winograd;

namespace Hush.Engine.Tests;

/// <summary>A 3×3 convolution of a channel concatenation read part by part (<see cref="ChannelParts"/>,
/// <see cref="Ops.ConcatConv2dSame3x3"/>) against the concatenation it replaces: the same kernels on the same values, so
/// forward values, the kept padded copy and every gradient are equal bit for bit, at every SIMD level this machine has;
/// and the drop masks made part by part against the concatenation's own.</summary>
public class ConcatConvTests
{
    private static readonly SimdLevel[] Levels = Enum.GetValues<SimdLevel>().Where(l => l <= Simd.Best).ToArray();

    public static IEnumerable<object[]> Cases() =>
    [
        [1, 96, 3, 64, 37, 29, PadMode.Zero, true],        // a U-Net's last stage: features and the 3-channel input
        [2, 20, 13, 16, 33, 35, PadMode.Reflect, true],    // parts that split a block of 16 channels, two images
        [1, 16, 32, 24, 32, 32, PadMode.Symmetric, false], // parts on block boundaries, no bias
        [1, 48, 48, 96, 34, 41, PadMode.Reflect, true],    // Self2Self+'s decoder, partial tiles on both sides
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void KernelsReadAndWriteThePartsAsTheConcatenation(int n, int ca, int cb, int cout, int h, int w, PadMode mode, bool withBias)
    {
        var g = ConvGeometry.Create([n, ca + cb, h, w], [cout, ca + cb, 3, 3], withBias ? [cout] : null, 1, 1, 1, 1) with { Border = mode };
        var rng = new Rng(11);
        float[] a = TestUtil.Random(rng, n * ca * h * w), b = TestUtil.Random(rng, n * cb * h * w);
        float[] x = Concat(a, b, n, ca, cb, h * w), wt = TestUtil.Random(rng, cout * (ca + cb) * 9);
        float[]? bias = withBias ? TestUtil.Random(rng, cout) : null;
        float[] dy = TestUtil.Random(rng, g.OutputLength), scale = Ops.DropoutMask(x.Length, 0.3f, new Rng(2));
        int ran = 0;
        foreach (SimdLevel level in Levels)
        {
            if (!WinogradConv.Can(g, level)) continue;
            ran++;
            foreach (float[]? s in new[] { null, scale })
            {
                var parts = new ChannelParts(a, ca, b, cb);
                float[] yWhole = new float[g.OutputLength], yParts = new float[g.OutputLength];
                float[] pWhole = WinogradConv.Forward(g, yWhole, x, wt, bias, level, 0.1f, keepPadded: true, s)!;
                float[] pParts = WinogradConv.Forward(g, yParts, parts, wt, bias, level, 0.1f, keepPadded: true, s)!;
                Assert.Equal(yWhole, yParts);
                Assert.Equal(pWhole.AsSpan(0, Padded(g, level)).ToArray(), pParts.AsSpan(0, Padded(g, level)).ToArray());

                // backward into gradients that already hold something (+=), the padded copy kept and not kept, and with
                // one part's gradient absent
                float[] dxInit = TestUtil.Random(new Rng(5), x.Length), dwInit = TestUtil.Random(new Rng(6), wt.Length);
                float[] dx = (float[])dxInit.Clone(), dw = (float[])dwInit.Clone(), db = new float[cout];
                WinogradConv.Backward(g, dx, dw, db, dy, x, wt, level, yWhole, 0.1f, pWhole, s);
                foreach (bool kept in new[] { true, false })
                {
                    var (da, dbPart) = Split(dxInit, n, ca, cb, h * w);
                    float[] dwParts = (float[])dwInit.Clone(), dbParts = new float[cout];
                    WinogradConv.Backward(g, new ChannelParts(da, ca, dbPart, cb), dwParts, dbParts, dy, parts, wt, level, yParts, 0.1f,
                        kept ? pParts : null, s);
                    Assert.Equal(dx, Concat(da, dbPart, n, ca, cb, h * w));
                    Assert.Equal(dw, dwParts);
                    Assert.Equal(db, dbParts);
                    if (kept) pParts = WinogradConv.Forward(g, yParts, parts, wt, bias, level, 0.1f, keepPadded: true, s)!; // consumed
                }

                Scratch.Return(pParts);
                var (onlyA, untouched) = Split(dxInit, n, ca, cb, h * w);
                WinogradConv.Backward(g, new ChannelParts(onlyA, ca, null, cb), null, null, dy, parts, wt, level, yParts, 0.1f, null, s);
                Assert.Equal(Split(dx, n, ca, cb, h * w).A, onlyA);
                Assert.Equal(Split(dxInit, n, ca, cb, h * w).B, untouched); // a part is written only through its own array
            }
        }

        Assert.True(ran > 0 || Simd.Best == SimdLevel.Scalar, "no SIMD level took the Winograd path");
    }

    [Theory]
    [InlineData(1, 96, 3, 64, 40, 36, PadMode.Zero, true)]
    [InlineData(2, 20, 13, 16, 33, 35, PadMode.Reflect, false)]
    [InlineData(1, 48, 48, 48, 8, 8, PadMode.Reflect, true)] // too few tiles for Winograd: the composition itself
    public void OpEqualsConcatenatingThenConvolving(int n, int ca, int cb, int cout, int h, int w, PadMode mode, bool skipNeedsGradient)
    {
        (float[] Y, float[] DA, float[]? DB, float[] DW, float[] DBias) Run(bool fused)
        {
            var rng = new Rng(3);
            var a = Tensor.Parameter(TestUtil.Random(rng, n * ca * h * w), n, ca, h, w);
            var b = skipNeedsGradient ? Tensor.Parameter(TestUtil.Random(rng, n * cb * h * w), n, cb, h, w)
                : Tensor.FromArray(TestUtil.Random(rng, n * cb * h * w), n, cb, h, w);
            var wt = Tensor.Parameter(TestUtil.Random(rng, cout * (ca + cb) * 9), cout, ca + cb, 3, 3);
            var bias = Tensor.Parameter(TestUtil.Random(rng, cout), cout);
            float[] scale = Ops.DropoutMask(a.Length + b.Length, 0.4f, new Rng(8));
            var y = fused
                ? Ops.ConcatConv2dSame3x3(a, b, wt, bias, mode, 0.2f, scale)
                : Ops.Conv2dSame3x3(Ops.ConcatChannels(a, b), wt, bias, mode, 0.2f, scale);
            Ops.Sum(Ops.Mul(y, Tensor.FromArray(TestUtil.Random(new Rng(4), y.Length), y.Shape))).Backward();
            return (y.Data, a.Grad!, b.Grad, wt.Grad!, bias.Grad!);
        }

        var f = Run(fused: true);
        var c = Run(fused: false);
        Assert.Equal(c.Y, f.Y);
        Assert.Equal(c.DA, f.DA);
        Assert.Equal(c.DB, f.DB);
        Assert.Equal(c.DW, f.DW);
        Assert.Equal(c.DBias, f.DBias);
        Assert.Equal(skipNeedsGradient, f.DB is not null);
        Assert.Contains(f.DA, v => v == 0f); // the dropped inputs get no gradient
    }

    [Fact]
    public void OpRejectsPartsThatDoNotMatch()
    {
        var a = Tensor.FromArray(new float[1 * 4 * 8 * 8], 1, 4, 8, 8);
        var w = Tensor.FromArray(new float[8 * 6 * 9], 8, 6, 3, 3);
        Assert.Throws<ArgumentException>(() => Ops.ConcatConv2dSame3x3(a, Tensor.FromArray(new float[2 * 8 * 9], 1, 2, 8, 9), w, null, PadMode.Zero));
        Assert.Throws<ArgumentException>(() => Ops.ConcatConv2dSame3x3(a, Tensor.FromArray(new float[3 * 64], 1, 3, 8, 8), w, null, PadMode.Zero));
        Assert.Throws<ArgumentException>(() => Ops.ConcatConv2dSame3x3(a, Tensor.FromArray(new float[2 * 64], 1, 2, 8, 8), w, null,
            PadMode.Zero, inputScale: new float[5]));
    }

    [Theory]
    [InlineData(StandoutScale.RelativeToPlaneMax, 0.3f, 1)]
    [InlineData(StandoutScale.Absolute, 0.5f, 2)]
    public void StandoutMaskOfThePartsIsTheConcatenationsMask(StandoutScale scale, float threshold, int threads)
    {
        using var context = TestUtil.Threads(threads);
        var rng = new Rng(12);
        var a = Tensor.FromArray(TestUtil.Random(rng, 2 * 5 * 19 * 23), 2, 5, 19, 23);
        var b = Tensor.FromArray(TestUtil.Random(rng, 2 * 3 * 19 * 23), 2, 3, 19, 23);
        float[] whole = FusedOps.StandoutMask(Ops.ConcatChannels(a, b), 0.3f, threshold, scale, new Rng(9));
        float[] parts = FusedOps.StandoutMask(a, b, 0.3f, threshold, scale, new Rng(9));
        Assert.Equal(whole, parts);
        Assert.Contains(parts, v => v == 0f);
        Assert.Contains(parts, v => v == 1f);
    }

    [Fact]
    public void DropoutMaskOfALengthIsTheTensorsMask()
    {
        var x = Tensor.FromArray(new float[3 * 17 * 19], 1, 3, 17, 19);
        Assert.Equal(Ops.DropoutMask(x, 0.3f, new Rng(9)), Ops.DropoutMask(x.Length, 0.3f, new Rng(9)));
    }

    // the length of Winograd's padded copy (what Forward returns may be a longer pooled array)
    private static int Padded(in ConvGeometry g, SimdLevel level)
    {
        int lanes = WinogradConv.Lanes(level), cp = (g.Cin + lanes - 1) / lanes * lanes;
        return g.N * ((g.H + 3) / 4 * 4 + 2) * ((g.W + 3) / 4 * 4 + 2) * cp;
    }

    private static float[] Concat(float[] a, float[] b, int n, int ca, int cb, int plane)
    {
        var x = new float[n * (ca + cb) * plane];
        for (int i = 0; i < n; i++)
        {
            Array.Copy(a, i * ca * plane, x, i * (ca + cb) * plane, ca * plane);
            Array.Copy(b, i * cb * plane, x, (i * (ca + cb) + ca) * plane, cb * plane);
        }

        return x;
    }

    private static (float[] A, float[] B) Split(float[] x, int n, int ca, int cb, int plane)
    {
        float[] a = new float[n * ca * plane], b = new float[n * cb * plane];
        for (int i = 0; i < n; i++)
        {
            Array.Copy(x, i * (ca + cb) * plane, a, i * ca * plane, ca * plane);
            Array.Copy(x, (i * (ca + cb) + ca) * plane, b, i * cb * plane, cb * plane);
        }

        return (a, b);
    }
}
