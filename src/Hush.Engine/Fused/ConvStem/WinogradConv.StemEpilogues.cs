using System.Runtime.CompilerServices;

namespace Hush.Engine.Kernels.Winograd;

/// <summary>The stem's two tile-store epilogues (ZS-N2N's fused stem, see FusedOps.ConvStem): the 1×1 head applied
/// while a forward tile is in cache, and the masked channels-last store of a backward-data pass. The general tile
/// pass (Kernels/Winograd/WinogradConv.TileJob.cs) calls them only when its job carries a Head or a Mask.</summary>
internal static unsafe partial class WinogradConv
{
    /// <summary>A 1×1 convolution applied in a forward tile job's epilogue (see <see cref="TileJob"/>): weights W [K, C],
    /// bias B [K], output Y [N, K, H, W]. Default (Y null): none.</summary>
    private readonly record struct HeadOut(float[]? W, float[]? B, float[]? Y, int K);

    private readonly partial record struct TileJob
    {
        // For pixels x < cols of one stage row: h = leaky(src[x, :] + bias) stored channels-last at dst[x, :], and
        // the head's outputs hy[n, k, at + x] = hb[k] + Σ_c hw[k, c] h[c] (at: the first pixel's index in its image).
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void StoreWithHead<TO, TV>(float* src, float* dst, float* bias, float* hw, float* hb, float* hy, int n, nint at, int cols)
            where TO : struct, IVecOps<TV>
            where TV : struct
        {
            TV slope = TO.Splat(Leaky ?? 1f);
            nint plane = (nint)T.H * T.W;
            int heads = Head.K, inRegisters = Math.Min(heads, 3);
            float* y0 = hy + ((nint)n * heads) * plane + at, y1 = y0 + plane, y2 = y1 + plane;
            for (int x = 0; x < cols; x++)
            {
                float* s = src + (nint)x * K, h = dst + (nint)x * K;
                // up to three head outputs accumulate while h is in registers (ZS-N2N's RGB head); more in a second pass
                TV a0 = TO.Zero, a1 = TO.Zero, a2 = TO.Zero;
                for (int k = 0; k < K; k += TO.Count)
                {
                    TV v = TO.Add(TO.Load(s + k), TO.Load(bias + k));
                    v = TO.LeakyMask(v, v, slope);
                    TO.Store(h + k, v);
                    a0 = TO.Fma(v, TO.Load(hw + k), a0);
                    if (inRegisters > 1) a1 = TO.Fma(v, TO.Load(hw + K + k), a1);
                    if (inRegisters > 2) a2 = TO.Fma(v, TO.Load(hw + 2 * K + k), a2);
                }

                y0[x] = TO.Sum(a0) + hb[0];
                if (inRegisters > 1) y1[x] = TO.Sum(a1) + hb[1];
                if (inRegisters > 2) y2[x] = TO.Sum(a2) + hb[2];
                for (int o = 3; o < heads; o++)
                {
                    TV a = TO.Zero;
                    float* wo = hw + (nint)o * K;
                    for (int k = 0; k < K; k += TO.Count) a = TO.Fma(TO.Load(h + k), TO.Load(wo + k), a);
                    hy[((nint)n * heads + o) * plane + at + x] = TO.Sum(a) + hb[o];
                }
            }
        }

        // dst[i] = src[i] ⊙ (mask[i] > 0 ? 1 : MaskSlope) for i < count (count a multiple of the vector width)
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void StoreMasked<TO, TV>(float* src, float* mask, float* dst, nint count)
            where TO : struct, IVecOps<TV>
            where TV : struct
        {
            TV slope = TO.Splat(MaskSlope);
            for (nint i = 0; i < count; i += TO.Count) TO.Store(dst + i, TO.LeakyMask(TO.Load(src + i), TO.Load(mask + i), slope));
        }
    }
}
