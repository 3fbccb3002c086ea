using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static Hush.Engine.Kernels.Winograd.WinogradTransforms;

namespace Hush.Engine.Kernels.Winograd;

/// <summary>
/// A stem: two 3×3 stride-1 pad-1 LeakyReLU convolutions in a row, the first from a few input channels (an image),
/// the second on Winograd (ZS-N2N's first two layers). Done as two ops, the 48-channel activation between them is
/// written in NCHW, copied into Winograd's padded channels-last layout, and on the way back its gradient is written in
/// NCHW, masked by the activation's derivative in a separate pass and read again for the first layer's weights, each
/// a full pass over memory. Here the first layer writes its output straight into the padded layout (kept for the
/// second layer's weight gradient), and the second layer's backward-data pass writes the gradient in that layout with
/// the mask applied, so the activation is never transposed. The step is memory-bound, so passes are what cost.
/// With a 1×1 head after the stem (StemHeadForward / StemHeadBackward, ZS-N2N's third layer) the second layer's output
/// stays channels-last too: the head runs in the Winograd epilogue, and one backward pass over that output gives the
/// head's gradients and the second layer's masked output gradient, written straight into Winograd's padded layout.
///
/// Shapes: x [N, C1, H, W] (C1 ≤ <see cref="StemMaxInputChannels"/>), w1 [K1, C1, 3, 3], b1 [K1], w2 [K2, K1, 3, 3],
/// b2 [K2], y2 [N, K2, H, W]. The input's gradient is not computed (the op is for networks whose input is data).
/// Results equal the two-op composition up to float summation order; deterministic for a thread count.
/// </summary>
internal static unsafe partial class WinogradConv
{
    /// <summary>Most input channels of the stem's first layer: it broadcasts each input tap across the output channels,
    /// which pays off for an image's few channels (wider first layers take the separate ops and Winograd).</summary>
    public const int StemMaxInputChannels = 16;

    /// <summary>Whether (g1, g2) is a stem: both 3×3 stride 1 pad 1 ungrouped on the same N×H×W, g1's output is g2's
    /// input, g1 has few input channels, and g2 runs on Winograd.</summary>
    public static bool CanStem(in ConvGeometry g1, in ConvGeometry g2, SimdLevel level) =>
        IsSame3x3(g1) && IsSame3x3(g2) && g1.Cout == g2.Cin && g1.Cin <= StemMaxInputChannels &&
        g1.N == g2.N && g1.H == g2.H && g1.W == g2.W && Can(g2, level);

    /// <summary>Most floats of the head's per-row gradient sums, (K3 + 1)·K2, which HeadGradient keeps on the stack
    /// (ZS-N2N's head needs 4·48; wider heads take the separate ops).</summary>
    private const int StemHeadMaxRowSums = 8192;

    /// <summary>Whether (g1, g2, g3) is a stem with a 1×1 head: a stem, g3 1×1 on g2's output, g2's channels a
    /// whole number of vectors (the head reads the stem's output channels-last, unpadded), and a head small enough
    /// for HeadGradient's row sums.</summary>
    public static bool CanStemHead(in ConvGeometry g1, in ConvGeometry g2, in ConvGeometry g3, SimdLevel level) =>
        CanStem(g1, g2, level) && g3.KH == 1 && g3.KW == 1 && g3.Stride == 1 && g3.Pad == 0 && g3.Groups == 1 &&
        g3.Cin == g2.Cout && g3.N == g2.N && g3.H == g2.H && g3.W == g2.W && g2.Cout % Lanes(level) == 0 &&
        (long)(g3.Cout + 1) * g2.Cout <= StemHeadMaxRowSums;

    private static bool IsSame3x3(in ConvGeometry g) =>
        g.KH == 3 && g.KW == 3 && g.Stride == 1 && g.Pad == 1 && g.Dil == 1 && g.Groups == 1;

    // h1 = leaky(conv3x3(x, w1) + b1) into the padded channels-last buffer P1 [N, Hp, Wp, cp1] (returned, pooled),
    // y2[N, K2, H, W] = leaky(conv3x3(h1, w2) + b2) from it. Returns P1 when keep (for StemBackward), else null.
    public static float[]? StemForward(in ConvGeometry g1, in ConvGeometry g2, float[] y2, float[] x, float[] w1, float[] b1,
        float[] w2, float[]? b2, float slope, SimdLevel level, bool keep) =>
        StemForward(g1, g2, y2, x, w1, b1, w2, b2, slope, level, keep, default);

    // StemForward followed by a 1×1 head (CanStemHead): y2 is written channels-last [N, H, W, K2] and
    // y3 [N, K3, H, W] = b3 + w3 [K3, K2] · y2 per pixel, in the Winograd epilogue while each tile is in cache.
    public static float[]? StemHeadForward(in ConvGeometry g1, in ConvGeometry g2, in ConvGeometry g3, float[] y2, float[] y3, float[] x,
        float[] w1, float[] b1, float[] w2, float[] b2, float[] w3, float[] b3, float slope, SimdLevel level, bool keep) =>
        StemForward(g1, g2, y2, x, w1, b1, w2, b2, slope, level, keep, new HeadOut(w3, b3, y3, g3.Cout));

    private static float[]? StemForward(in ConvGeometry g1, in ConvGeometry g2, float[] y2, float[] x, float[] w1, float[] b1,
        float[] w2, float[]? b2, float slope, SimdLevel level, bool keep, HeadOut head)
    {
        var t = new Tiling(g1.N, g1.H, g1.W);
        int cp = RoundUp(g2.Cin, Lanes(level)), kp = RoundUp(g2.Cout, Lanes(level));
        float[] xp = PaddedInput(x, g1);
        float[] p1 = Scratch.Rent(t.N * t.Hp * t.Wp * cp);
        float[] wt = Scratch.Rent(g1.Cin * 9 * cp + cp);
        StemWeights(w1, b1, g1.Cout, g1.Cin, cp, wt);
        var first = new StemFirst(t, xp, g1.Cin, wt, cp, p1, slope);
        switch (level)
        {
            case SimdLevel.Avx512: Par.Balanced(t.N * t.Hp, new StemRows<Vec512, Vector512<float>>(first)); break;
            case SimdLevel.Avx2: Par.Balanced(t.N * t.Hp, new StemRows<Vec256, Vector256<float>>(first)); break;
            default: Par.Balanced(t.N * t.Hp, new StemRows<VecScalar, float>(first)); break;
        }

        Scratch.Return(wt);
        Scratch.Return(xp);

        float[] u = Scratch.Rent(Positions * cp * kp);
        Filters(w2, g2.Cout, g2.Cin, adjoint: false, u, cp, kp);
        Dispatch(level, new TileJob(t, p1, cp, u, kp, g2.Cout, b2, y2, false, slope, Head: head));
        Scratch.Return(u);
        if (keep) return p1;
        Scratch.Return(p1);
        return null;
    }

    // Given dY2 and the outputs y2 (and P1 from StemForward, consumed): G2 = dY2 ⊙ leaky'(y2),
    // dW2 += Σ G2 ⋆ h1, dB2 += Σ G2, G1 = conv3x3ᵀ(G2, w2) ⊙ leaky'(h1) (channels-last, never transposed),
    // dW1 += Σ G1 ⋆ x, dB1 += Σ G1. Any target may be null.
    public static void StemBackward(in ConvGeometry g1, in ConvGeometry g2, float[]? dW1, float[]? dB1, float[]? dW2, float[]? dB2,
        float[] dY2, float[] y2, float[] x, float[] w2, float slope, SimdLevel level, float[] p1)
    {
        var t = new Tiling(g1.N, g1.H, g1.W);
        float[] pdy = Padded(dY2, t, g2.Cout, RoundUp(g2.Cout, Lanes(level)), 1, y2, slope);
        StemBackwardPadded(t, g1, g2, dW1, dB1, dW2, dB2, pdy, x, w2, slope, level, p1);
    }

    // The backward pass of StemHeadForward: from dY3 [N, K3, H, W], the head's gradients dW3 [K3, K2] and dB3 and
    // the stem's output gradient (w3ᵀ dY3) ⊙ leaky'(y2) in one pass over y2 (channels-last), written straight into
    // Winograd's padded layout (HeadGradient); then the stem's backward pass. Any target may be null.
    public static void StemHeadBackward(in ConvGeometry g1, in ConvGeometry g2, in ConvGeometry g3, float[]? dW1, float[]? dB1,
        float[]? dW2, float[]? dB2, float[]? dW3, float[]? dB3, float[] dY3, float[] w3, float[] y2, float[] x, float[] w2, float slope,
        SimdLevel level, float[] p1)
    {
        var t = new Tiling(g1.N, g1.H, g1.W);
        float[] pdy = HeadGradient(t, dY3, g3.Cout, w3, y2, g2.Cout, slope, dW3, dB3, level);
        StemBackwardPadded(t, g1, g2, dW1, dB1, dW2, dB2, pdy, x, w2, slope, level, p1);
    }

    // The stem's backward pass from pdy = G2 in the padded channels-last layout (consumed, with p1).
    private static void StemBackwardPadded(Tiling t, in ConvGeometry g1, in ConvGeometry g2, float[]? dW1, float[]? dB1, float[]? dW2,
        float[]? dB2, float[] pdy, float[] x, float[] w2, float slope, SimdLevel level, float[] p1)
    {
        int cp = RoundUp(g2.Cin, Lanes(level)), kp = RoundUp(g2.Cout, Lanes(level));
        if (dW1 is not null || dB1 is not null)
        {
            float[] u = Scratch.Rent(Positions * cp * kp);
            Filters(w2, g2.Cout, g2.Cin, adjoint: true, u, kp, cp);
            float[] gp = Scratch.Rent(p1.Length); // G1 in P1's layout; the pad ring is never read
            Dispatch(level, new TileJob(t, pdy, kp, u, cp, g2.Cin, null, gp, false, null, p1, slope));
            Scratch.Return(u);
            float[] xp = PaddedInput(x, g1);
            StemGradients(t, gp, cp, xp, g1.Cin, g1.Cout, dW1, dB1, level);
            Scratch.Return(xp);
            Scratch.Return(gp);
        }

        WeightGradients(t, g2.Cout, g2.Cin, p1, cp, pdy, kp, dW2, dB2, level);
        Scratch.Return(p1);
        Scratch.Return(pdy);
    }

    // The calling thread's per-part sums for HeadGradient [parts, K3*K + K3] in double, grown as needed.
    [ThreadStatic] private static double[]? _headPartials;

    // pdy [N, Hp, Wp, K] (pooled) = (w3ᵀ dY3) ⊙ (y2 > 0 ? 1 : slope) in Winograd's padded channels-last layout:
    // pdy[n, y+1, x+1, c] = (Σ_o w3[o, c] dY3[n, o, y, x]) ⊙ mask(y2[n, y, x, c]), the ring and everything beyond H×W
    // zero; and the head's gradients dW3[o, c] += Σ_p dY3[n, o, p] y2[n, p, c], dB3[o] += Σ_p dY3[n, o, p], from the
    // same reads. y2 [N, H, W, K] channels-last (K a whole number of vectors). Image rows are split in static parts,
    // each summing into its own partial (float within a row, double across rows), added in part order: deterministic
    // for a thread count.
    private static float[] HeadGradient(Tiling t, float[] dY3, int k3, float[] w3, float[] y2, int k, float slope, float[]? dW3, float[]? dB3,
        SimdLevel level)
    {
        float[] dst = Scratch.Rent(t.N * t.Hp * t.Wp * k);
        int rows = t.N * t.H, parts = Math.Clamp(Threading.MaxThreads, 1, rows), size = k3 * k + k3;
        double[] partials = PartSums(ref _headPartials, parts, size);
        var job = new HeadGradientJob(t, dY3, k3, w3, y2, k, slope, dst, partials, size, rows, parts);
        switch (level)
        {
            case SimdLevel.Avx512: Par.For(parts, parts, new HeadGradientParts<Vec512, Vector512<float>>(job)); break;
            case SimdLevel.Avx2: Par.For(parts, parts, new HeadGradientParts<Vec256, Vector256<float>>(job)); break;
            default: Par.For(parts, parts, new HeadGradientParts<VecScalar, float>(job)); break;
        }

        AddParts(partials, parts, size);

        if (dW3 is not null)
        {
            for (int i = 0; i < k3 * k; i++) dW3[i] += (float)partials[i];
        }

        if (dB3 is not null)
        {
            for (int o = 0; o < k3; o++) dB3[o] += (float)partials[k3 * k + o];
        }

        return dst;
    }

    private readonly record struct HeadGradientJob(Tiling T, float[] DY3, int K3, float[] W3, float[] Y2, int K, float Slope, float[] Dst,
        double[] Partials, int Size, int Rows, int Parts);

    private readonly struct HeadGradientParts<TO, TV>(HeadGradientJob job) : IRangeBody
        where TO : struct, IVecOps<TV>
        where TV : struct
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int q0, int q1)
        {
            Tiling t = job.T;
            int h = t.H, w = t.W, k = job.K, k3 = job.K3, vc = TO.Count;
            nint plane = (nint)h * w, rowLength = (nint)t.Wp * k;
            TV slope = TO.Splat(job.Slope);
            float* acc = stackalloc float[job.Size]; // this row's sums: dW3 [K3, K], then dB3 [K3]
            float* d = stackalloc float[k3];
            fixed (float* dy = job.DY3, w3 = job.W3, y2 = job.Y2, dst = job.Dst)
            fixed (double* all = job.Partials)
            {
                for (int q = q0; q < q1; q++)
                {
                    double* partial = all + (nint)q * job.Size;
                    (int r0, int r1) = PartRows(job.Rows, q, job.Parts);
                    for (int r = r0; r < r1; r++)
                    {
                        int img = r / h, y = r % h;
                        float* padded = dst + (nint)img * t.Hp * rowLength; // this image's padded rows
                        if (y == 0) new Span<float>(padded, (int)rowLength).Clear(); // the ring's top row
                        if (y == h - 1)
                        {
                            for (int pr = h + 1; pr < t.Hp; pr++) new Span<float>(padded + pr * rowLength, (int)rowLength).Clear();
                        }

                        float* dr = padded + (y + 1) * rowLength;
                        new Span<float>(dr, k).Clear();
                        new Span<float>(dr + (nint)(w + 1) * k, (t.Wp - w - 1) * k).Clear();
                        new Span<float>(acc, job.Size).Clear();
                        float* g = dy + (nint)img * k3 * plane + (nint)y * w; // dY3[img, 0, y, 0]
                        float* m = y2 + ((nint)img * plane + (nint)y * w) * k; // y2[img, y, 0, 0]
                        for (int x = 0; x < w; x++)
                        {
                            for (int o = 0; o < k3; o++)
                            {
                                d[o] = g[o * plane + x];
                                acc[k3 * k + o] += d[o];
                            }

                            float* mx = m + (nint)x * k, out_ = dr + (nint)(x + 1) * k;
                            for (int kv = 0; kv < k; kv += vc)
                            {
                                TV mv = TO.Load(mx + kv), v = TO.Zero;
                                for (int o = 0; o < k3; o++)
                                {
                                    TV dv = TO.Splat(d[o]);
                                    v = TO.Fma(dv, TO.Load(w3 + o * k + kv), v);
                                    float* a = acc + o * k + kv;
                                    TO.Store(a, TO.Fma(dv, mv, TO.Load(a)));
                                }

                                TO.Store(out_ + kv, TO.LeakyMask(v, mv, slope));
                            }
                        }

                        for (int i = 0; i < job.Size; i++) partial[i] += acc[i];
                    }
                }
            }
        }
    }

    // The calling thread's partial sums [parts, size] for a static-parts reduction, cleared (cached, grown as needed).
    private static double[] PartSums(ref double[]? cache, int parts, int size)
    {
        double[] partials = cache is { } cached && cached.Length >= parts * size ? cached : cache = new double[parts * size];
        Array.Clear(partials, 0, parts * size);
        return partials;
    }

    // partials[i] += partials[q*size + i] for parts q = 1, 2, ... in order: the total in the first size entries,
    // the same for a given thread count however the parts were scheduled.
    private static void AddParts(double[] partials, int parts, int size)
    {
        for (int q = 1; q < parts; q++)
        {
            for (int i = 0; i < size; i++) partials[i] += partials[q * size + i];
        }
    }

    // Image rows [r0, r1) of static part q of parts over rows.
    private static (int R0, int R1) PartRows(int rows, int q, int parts) =>
        ((int)((long)rows * q / parts), (int)((long)rows * (q + 1) / parts));

    // xp [N, C, H+2, W+2] (pooled) = x zero-padded by one pixel, so the stem's taps need no bounds checks.
    private static float[] PaddedInput(float[] x, in ConvGeometry g)
    {
        int h = g.H, w = g.W, s = w + 2;
        float[] xp = Scratch.Rent(g.N * g.Cin * (h + 2) * s);
        Array.Clear(xp, 0, g.N * g.Cin * (h + 2) * s);
        for (int plane = 0; plane < g.N * g.Cin; plane++)
        {
            for (int y = 0; y < h; y++)
                Array.Copy(x, ((long)plane * h + y) * w, xp, ((long)plane * (h + 2) + y + 1) * s + 1, w);
        }

        return xp;
    }

    // wt[(c*9 + i*3 + j)*cp + k] = w1[k, c, i, j] (0 for k ≥ K1), then the bias: wt[C1*9*cp + k] = b1[k].
    private static void StemWeights(float[] w1, float[] b1, int k1, int c1, int cp, float[] wt)
    {
        Array.Clear(wt, 0, c1 * 9 * cp + cp);
        for (int k = 0; k < k1; k++)
        {
            for (int tap = 0; tap < c1 * 9; tap++) wt[tap * cp + k] = w1[k * c1 * 9 + tap];
            wt[c1 * 9 * cp + k] = b1[k];
        }
    }

    /// <summary>The stem's first layer: what every padded row needs.</summary>
    private readonly record struct StemFirst(Tiling T, float[] Xp, int C, float[] Wt, int Cp, float[] P1, float Slope);

    // P1 rows r (image, padded row) in [r0, r1): the ring and everything beyond H×W is zero, channels ≥ K1 are zero
    // (their weights and bias are). Vectorised over output channels, 8 pixels at a time for independent FMA chains.
    private readonly struct StemRows<TO, TV>(StemFirst job) : IRangeBody
        where TO : struct, IVecOps<TV>
        where TV : struct
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int r0, int r1)
        {
            Tiling t = job.T;
            int h = t.H, w = t.W, cp = job.Cp, c1 = job.C, s = w + 2, vc = TO.Count;
            nint rowLength = (nint)t.Wp * cp;
            TV slope = TO.Splat(job.Slope);
            fixed (float* xp = job.Xp, wt = job.Wt, p1 = job.P1)
            {
                float* bias = wt + c1 * 9 * cp;
                for (int r = r0; r < r1; r++)
                {
                    int img = r / t.Hp, y = r % t.Hp - 1;
                    float* dr = p1 + r * rowLength;
                    if ((uint)y >= (uint)h)
                    {
                        new Span<float>(dr, (int)rowLength).Clear();
                        continue;
                    }

                    new Span<float>(dr, cp).Clear();
                    new Span<float>(dr + (nint)(w + 1) * cp, (t.Wp - w - 1) * cp).Clear();
                    float* top = xp + ((nint)img * c1 * (h + 2) + y) * s; // xp[img, 0, y, 0]: row y-1 of the image
                    nint planeStride = (nint)(h + 2) * s;
                    for (int kv = 0; kv < cp; kv += vc)
                    {
                        int x = 0;
                        for (; x + 8 <= w; x += 8)
                        {
                            TV b = TO.Load(bias + kv);
                            TV a0 = b, a1 = b, a2 = b, a3 = b, a4 = b, a5 = b, a6 = b, a7 = b;
                            for (int c = 0; c < c1; c++)
                            {
                                for (int i = 0; i < 3; i++)
                                {
                                    float* xr = top + c * planeStride + i * s + x;
                                    float* wr = wt + (nint)((c * 3 + i) * 3) * cp + kv;
                                    for (int j = 0; j < 3; j++)
                                    {
                                        TV wv = TO.Load(wr + j * cp);
                                        a0 = TO.Fma(TO.Splat(xr[j]), wv, a0);
                                        a1 = TO.Fma(TO.Splat(xr[j + 1]), wv, a1);
                                        a2 = TO.Fma(TO.Splat(xr[j + 2]), wv, a2);
                                        a3 = TO.Fma(TO.Splat(xr[j + 3]), wv, a3);
                                        a4 = TO.Fma(TO.Splat(xr[j + 4]), wv, a4);
                                        a5 = TO.Fma(TO.Splat(xr[j + 5]), wv, a5);
                                        a6 = TO.Fma(TO.Splat(xr[j + 6]), wv, a6);
                                        a7 = TO.Fma(TO.Splat(xr[j + 7]), wv, a7);
                                    }
                                }
                            }

                            float* d = dr + (nint)(x + 1) * cp + kv;
                            TO.Store(d, TO.LeakyMask(a0, a0, slope));
                            TO.Store(d + cp, TO.LeakyMask(a1, a1, slope));
                            TO.Store(d + 2 * cp, TO.LeakyMask(a2, a2, slope));
                            TO.Store(d + 3 * cp, TO.LeakyMask(a3, a3, slope));
                            TO.Store(d + 4 * cp, TO.LeakyMask(a4, a4, slope));
                            TO.Store(d + 5 * cp, TO.LeakyMask(a5, a5, slope));
                            TO.Store(d + 6 * cp, TO.LeakyMask(a6, a6, slope));
                            TO.Store(d + 7 * cp, TO.LeakyMask(a7, a7, slope));
                        }

                        for (; x < w; x++)
                        {
                            TV a = TO.Load(bias + kv);
                            for (int c = 0; c < c1; c++)
                            {
                                for (int i = 0; i < 3; i++)
                                {
                                    float* xr = top + c * planeStride + i * s + x;
                                    float* wr = wt + (nint)((c * 3 + i) * 3) * cp + kv;
                                    for (int j = 0; j < 3; j++) a = TO.Fma(TO.Splat(xr[j]), TO.Load(wr + j * cp), a);
                                }
                            }

                            TO.Store(dr + (nint)(x + 1) * cp + kv, TO.LeakyMask(a, a, slope));
                        }
                    }
                }
            }
        }
    }

    // The calling thread's per-part sums for StemGradients [parts, (C1*9 + 1) * cp] in double, grown as needed.
    [ThreadStatic] private static double[]? _stemPartials;

    // dW1[k, c, i, j] += Σ_(n,y,x) G1[n, y+1, x+1, k] xp[n, c, y+i, x+j],  dB1[k] += Σ G1[n, y+1, x+1, k].
    // Rows are split in static parts; part q sums its rows (float within a row, double across rows) into its own
    // partial, and the partials are added in part order: deterministic for a thread count.
    private static void StemGradients(Tiling t, float[] gp, int cp, float[] xp, int c1, int k1, float[]? dW1, float[]? dB1, SimdLevel level)
    {
        int rows = t.N * t.H, taps = c1 * 9, size = (taps + 1) * cp;
        int parts = Math.Clamp(Threading.MaxThreads, 1, rows);
        double[] partials = PartSums(ref _stemPartials, parts, size);
        var job = new StemGradientJob(t, gp, cp, xp, c1, partials, size, rows, parts);
        switch (level)
        {
            case SimdLevel.Avx512: Par.For(parts, parts, new StemGradientParts<Vec512, Vector512<float>>(job)); break;
            case SimdLevel.Avx2: Par.For(parts, parts, new StemGradientParts<Vec256, Vector256<float>>(job)); break;
            default: Par.For(parts, parts, new StemGradientParts<VecScalar, float>(job)); break;
        }

        AddParts(partials, parts, size);

        for (int k = 0; k < k1; k++)
        {
            if (dW1 is not null)
            {
                for (int tap = 0; tap < taps; tap++) dW1[k * taps + tap] += (float)partials[tap * cp + k];
            }

            if (dB1 is not null) dB1[k] += (float)partials[taps * cp + k];
        }
    }

    private readonly record struct StemGradientJob(Tiling T, float[] Gp, int Cp, float[] Xp, int C, double[] Partials, int Size, int Rows, int Parts);

    private readonly struct StemGradientParts<TO, TV>(StemGradientJob job) : IRangeBody
        where TO : struct, IVecOps<TV>
        where TV : struct
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int q0, int q1)
        {
            Tiling t = job.T;
            int h = t.H, w = t.W, cp = job.Cp, c1 = job.C, s = w + 2, vc = TO.Count, taps = c1 * 9;
            float* sums = stackalloc float[vc];
            fixed (float* gp = job.Gp, xp = job.Xp)
            fixed (double* all = job.Partials)
            {
                for (int q = q0; q < q1; q++)
                {
                    double* partial = all + (nint)q * job.Size;
                    (int r0, int r1) = PartRows(job.Rows, q, job.Parts);
                    for (int r = r0; r < r1; r++)
                    {
                        int img = r / h, y = r % h;
                        float* g = gp + ((nint)(img * t.Hp + y + 1) * t.Wp + 1) * cp; // G1 row y, column 0
                        float* top = xp + ((nint)img * c1 * (h + 2) + y) * s;
                        nint planeStride = (nint)(h + 2) * s;
                        for (int kv = 0; kv < cp; kv += vc)
                        {
                            for (int c = 0; c < c1; c++)
                            {
                                // the 9 taps of input channel c (and, with c = 0, the bias) in one pass over the row
                                float* xr = top + c * planeStride;
                                Taps(g + kv, cp, xr, s, w, c == 0, partial + (nint)c * 9 * cp + kv, partial + (nint)taps * cp + kv, cp, sums);
                            }
                        }
                    }
                }
            }
        }

        // part[(i*3 + j)*cp + l] += Σ_x g[x*cp + l] xr[i*s + x + j] for the 9 offsets (i, j), and with bias
        // biasPart[l] += Σ_x g[x*cp + l]: ten independent FMA chains over one pass of the gradient row.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Taps(float* g, int cp, float* xr, int s, int w, bool bias, double* part, double* biasPart, int partStride, float* sums)
        {
            TV a0 = TO.Zero, a1 = TO.Zero, a2 = TO.Zero, a3 = TO.Zero, a4 = TO.Zero, a5 = TO.Zero, a6 = TO.Zero, a7 = TO.Zero, a8 = TO.Zero, ab = TO.Zero;
            float* r0 = xr, r1 = xr + s, r2 = xr + 2 * s;
            for (int x = 0; x < w; x++)
            {
                TV gv = TO.Load(g + (nint)x * cp);
                a0 = TO.Fma(gv, TO.Splat(r0[x]), a0);
                a1 = TO.Fma(gv, TO.Splat(r0[x + 1]), a1);
                a2 = TO.Fma(gv, TO.Splat(r0[x + 2]), a2);
                a3 = TO.Fma(gv, TO.Splat(r1[x]), a3);
                a4 = TO.Fma(gv, TO.Splat(r1[x + 1]), a4);
                a5 = TO.Fma(gv, TO.Splat(r1[x + 2]), a5);
                a6 = TO.Fma(gv, TO.Splat(r2[x]), a6);
                a7 = TO.Fma(gv, TO.Splat(r2[x + 1]), a7);
                a8 = TO.Fma(gv, TO.Splat(r2[x + 2]), a8);
                if (bias) ab = TO.Add(ab, gv);
            }

            Add(part, a0, sums);
            Add(part + partStride, a1, sums);
            Add(part + 2 * partStride, a2, sums);
            Add(part + 3 * partStride, a3, sums);
            Add(part + 4 * partStride, a4, sums);
            Add(part + 5 * partStride, a5, sums);
            Add(part + 6 * partStride, a6, sums);
            Add(part + 7 * partStride, a7, sums);
            Add(part + 8 * partStride, a8, sums);
            if (bias) Add(biasPart, ab, sums);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Add(double* d, TV v, float* sums)
        {
            TO.Store(sums, v);
            for (int l = 0; l < TO.Count; l++) d[l] += sums[l];
        }
    }
}
