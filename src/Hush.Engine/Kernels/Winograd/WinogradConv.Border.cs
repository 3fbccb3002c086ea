using System.Runtime.Intrinsics;

namespace Hush.Engine.Kernels.Winograd;

/// <summary>
/// Mirrored borders (reflect, symmetric) on the Winograd path, for 'same' 3×3 convolutions that would otherwise pad
/// their input with <see cref="Ops.Pad2d(Tensor, int, int, int, int, PadMode)"/> and convolve it unpadded: forward, the one-pixel ring of the padded
/// channels-last copy P holds mirrored samples instead of zeros (<see cref="FillBorder"/>); backward, the gradient
/// that reaches that ring, dP on the ring, is folded back onto the samples it mirrors (<see cref="FoldBorder"/>),
/// which is Pad2d's backward rule. The weight gradient needs nothing extra: it reads the same P.
///
/// The ring of dP, with P indexed from −1 to H (rows) and −1 to W (columns) and G the gradient at the output:
///   top    dP[−1, q] = Σ_co Σ_b w[co, ·, 0, b] G[0, q − b + 1]      (only the filter's first row reaches row −1)
///   bottom dP[H,  q] = Σ_co Σ_b w[co, ·, 2, b] G[H − 1, q − b + 1]
///   left   dP[p, −1] = Σ_co Σ_a w[co, ·, a, 0] G[p − a + 1, 0]       (0 ≤ p &lt; H; the corners belong to the rows)
///   right  dP[p,  W] = Σ_co Σ_a w[co, ·, a, 2] G[p − a + 1, W − 1]
/// Each side is three small GEMMs (one per filter tap along the side) over the padded channels-last G, whose zero
/// ring supplies the G outside the image; 2(H + W)·3·Cin·Cout multiply-adds, under 1 % of the convolution's.
/// </summary>
internal static unsafe partial class WinogradConv
{
    /// <summary>The padded row or column that mirrors padded index <paramref name="ring"/> (0 or n + 1) of a side of n
    /// samples (padded indices 1..n).</summary>
    private static int Mirror(int ring, int n, PadMode mode) =>
        ring == 0 ? (mode == PadMode.Reflect ? 2 : 1) : (mode == PadMode.Reflect ? n - 1 : n);

    // P [N, Hp, Wp, cp] with the image at padded (1..H, 1..W): the ring (rows 0 and H + 1, columns 0 and W + 1) gets
    // the mirrored samples; the columns first, so the rows carry the corners.
    private static void FillBorder(float[] p, Tiling t, int cp, PadMode mode)
    {
        int h = t.H, w = t.W;
        nint row = (nint)t.Wp * cp;
        for (int n = 0; n < t.N; n++)
        {
            nint image = (nint)n * t.Hp * row;
            for (int y = 1; y <= h; y++)
            {
                nint r = image + y * row;
                Array.Copy(p, r + (nint)Mirror(0, w, mode) * cp, p, r, cp);
                Array.Copy(p, r + (nint)Mirror(w + 1, w, mode) * cp, p, r + (nint)(w + 1) * cp, cp);
            }

            Array.Copy(p, image + Mirror(0, h, mode) * row, p, image, (w + 2) * (nint)cp);
            Array.Copy(p, image + Mirror(h + 1, h, mode) * row, p, image + (h + 1) * row, (w + 2) * (nint)cp);
        }
    }

    // dX [N, Cin, H, W] (in its parts) += the fold of dP's ring (see the class summary) (⊙ scale, the forward pass's input scale);
    // pdy: the padded channels-last G [N, Hp, Wp, kp] with its zero ring; w [Cout, Cin, 3, 3].
    private static void FoldBorder(in ConvGeometry g, Tiling t, ChannelParts dX, float[] pdy, int kp, float[] w, SimdLevel level, PadMode mode,
        float[]? scale)
    {
        int cp = RoundUp(g.Cin, Lanes(level)), h = g.H, wd = g.W;
        // taps[side, k] [kp, cp]: w[co, ci, a, b] at the side's k-th tap (top: a = 0, b = k; bottom: a = 2, b = k;
        // left: a = k, b = 0; right: a = k, b = 2), zero-padded to kp × cp.
        float[] taps = Scratch.Rent(12 * kp * cp);
        Array.Clear(taps, 0, 12 * kp * cp);
        for (int co = 0; co < g.Cout; co++)
            for (int ci = 0; ci < g.Cin; ci++)
                for (int k = 0; k < 3; k++)
                {
                    int f = (co * g.Cin + ci) * 9, at = co * cp + ci;
                    taps[(0 * 3 + k) * kp * cp + at] = w[f + k];
                    taps[(1 * 3 + k) * kp * cp + at] = w[f + 6 + k];
                    taps[(2 * 3 + k) * kp * cp + at] = w[f + 3 * k];
                    taps[(3 * 3 + k) * kp * cp + at] = w[f + 3 * k + 2];
                }

        int ringLength = 2 * (wd + 2) + 2 * h;
        float[] ring = Scratch.Rent(ringLength * cp); // [top W+2 | bottom W+2 | left H | right H] × cp
        for (int n = 0; n < g.N; n++)
        {
            Array.Clear(ring, 0, ringLength * cp);
            Par.For(4, new Sides(t, pdy, kp, taps, cp, ring, n, level)); // each side writes its own part of the ring
            Fold(dX, ring, cp, n, g.Cin, h, wd, mode, scale);
        }

        Scratch.Return(ring);
        Scratch.Return(taps);
    }

    // The ring of dP of image n, sides s in [s0, s1) (0 top, 1 bottom, 2 left, 3 right), three taps each.
    private readonly struct Sides(Tiling t, float[] pdy, int kp, float[] taps, int cp, float[] ring, int n, SimdLevel level) : IRangeBody
    {
        public void Run(int s0, int s1)
        {
            int h = t.H, w = t.W;
            nint pixel = kp, prow = (nint)t.Wp * kp;
            fixed (float* pg = pdy, pt = taps, pr = ring)
            {
                float* image = pg + (nint)n * t.Hp * prow;
                for (int s = s0; s < s1; s++)
                {
                    for (int k = 0; k < 3; k++)
                    {
                        float* b = pt + (s * 3 + k) * kp * cp;
                        switch (s)
                        {
                            // top[q + 1] += Σ_co G[0, q − k + 1, co] taps[top, k][co]: G[0, x] sits at padded (1, x + 1),
                            // so q = −1 reads padded column 1 − k (the zero column 0, or for k = 2 the last of row 0).
                            case 0: Side(image + prow + (1 - k) * pixel, pixel, b, pr, w + 2); break;
                            case 1: Side(image + h * prow + (1 - k) * pixel, pixel, b, pr + (w + 2) * cp, w + 2); break;
                            // left[p] += Σ_co G[p − k + 1, 0, co] taps[left, k][co]: padded row p − k + 2, column 1.
                            case 2: Side(image + (2 - k) * prow + pixel, prow, b, pr + 2 * (w + 2) * cp, h); break;
                            default: Side(image + (2 - k) * prow + w * pixel, prow, b, pr + (2 * (w + 2) + h) * cp, h); break;
                        }
                    }
                }
            }
        }

        // c[r, :] += Σ_co a[r*aRow + co] b[co, :]   for r < rows (one side's tap: rows = its pixels)
        private void Side(float* a, nint aRow, float* b, float* c, int rows)
        {
            switch (level)
            {
                case SimdLevel.Avx512: WinogradGemm.Gemm<Vec512, Vector512<float>>(a, aRow, 1, b, cp, kp, c, cp, rows, cp, true); break;
                case SimdLevel.Avx2: WinogradGemm.Gemm<Vec256, Vector256<float>>(a, aRow, 1, b, cp, kp, c, cp, rows, cp, true); break;
                default: WinogradGemm.Gemm<VecScalar, float>(a, aRow, 1, b, cp, kp, c, cp, rows, cp, true); break;
            }
        }
    }

    // dX[n, ci] += the ring folded onto the samples it mirrors (rows first: top and bottom include the corners), each
    // value times scale at its target when given (scale has the whole shape; a null part of dX gets nothing).
    private static void Fold(ChannelParts dX, float[] ring, int cp, int n, int cin, int h, int w, PadMode mode, float[]? scale)
    {
        int top = Mirror(0, h, mode) - 1, bottom = Mirror(h + 1, h, mode) - 1;
        int left = Mirror(0, w, mode) - 1, right = Mirror(w + 1, w, mode) - 1;
        int plane = h * w;
        for (int ci = 0; ci < cin; ci++)
        {
            float[]? target = ci < dX.CA ? dX.A : dX.B;
            if (target is null) continue;
            int d = (ci < dX.CA ? n * dX.CA + ci : n * dX.CB + ci - dX.CA) * plane, s = (n * cin + ci) * plane;
            void Add(int at, float v) => target[d + at] += scale is null ? v : v * scale[s + at];

            for (int q = 0; q < w + 2; q++)
            {
                int x = q == 0 ? left : q == w + 1 ? right : q - 1;
                Add(top * w + x, ring[q * cp + ci]);
                Add(bottom * w + x, ring[(w + 2 + q) * cp + ci]);
            }

            for (int p = 0; p < h; p++)
            {
                Add(p * w + left, ring[(2 * (w + 2) + p) * cp + ci]);
                Add(p * w + right, ring[(2 * (w + 2) + h + p) * cp + ci]);
            }
        }
    }
}
