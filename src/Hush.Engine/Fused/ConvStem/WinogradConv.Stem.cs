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
///
/// Files: this one (entry points, the stem's backward order, the shared row-part reductions), .StemFirstLayer (the
/// first layer straight into the padded layout), .StemHeadGradient (the head's backward pass), .StemWeightGradient
/// (the first layer's weight gradient), .StemEpilogues (the tile-store hooks the general tile pass calls).
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
}
