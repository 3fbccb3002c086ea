using System.Runtime.Intrinsics;
using System.Runtime.CompilerServices;
using static Hush.Engine.Kernels.Winograd.WinogradTransforms;

namespace Hush.Engine.Kernels.Winograd;

/// <summary>The tile pass shared by forward and backward-data: input transform, the 36 per-position GEMMs and the
/// output transform, stored back to NCHW (or through the stem's epilogues in Fused/ConvStem).</summary>
internal static unsafe partial class WinogradConv
{
    /// <summary>Forward tiles: y (=|+=) bias + Aᵀ[(U) ⊙ (Bᵀ P B)]A over all tiles; y is NCHW [N, K, H, W].</summary>
    /// K: output channels of the GEMM (a multiple of the vector width); KOut ≤ K of them are stored.
    /// With a <paramref name="Mask"/> (padded channels-last [N, Hp, Wp, K], e.g. a LeakyReLU output kept in Winograd's
    /// input layout) the tiles are stored channels-last instead, into Y of the mask's shape at the same padded
    /// positions, each value times (mask &gt; 0 ? 1 : MaskSlope): a backward-data pass that applies the previous layer's
    /// activation gradient on the way out and never transposes (Bias, Accumulate and Leaky are unused then; the pad ring
    /// of Y is not written).
    /// With a <paramref name="Head"/> (forward only; needs KOut = K, a bias and Leaky) the output Y is channels-last
    /// [N, H, W, K], and the epilogue also applies a 1×1 convolution to it while the tile is in cache: Head.Y
    /// [N, Head.K, H, W] = Head.B + Head.W [Head.K, K] · leaky(tile + bias) per pixel.
    /// With an <paramref name="OutScale"/> (NCHW, Y's shape) each stored value is multiplied by it first: backward-data
    /// through an input mask the forward pass applied (dropout's).
    /// With <paramref name="SplitK"/> &gt; 0 (NCHW stores only) Y holds output channels k &lt; SplitK as [N, SplitK, H, W] and
    /// <paramref name="YB"/> the rest as [N, KOut − SplitK, H, W] (<see cref="ChannelParts"/>: backward-data straight into
    /// the gradients of a concatenation's parts); a null part is not stored. OutScale keeps the whole shape.
    /// A struct, run through the struct body Part: a call allocates neither the job nor a closure.
    private readonly partial record struct TileJob(Tiling T, float[] P, int C, float[] U, int K, int KOut, float[]? Bias, float[]? Y, bool Accumulate, float? Leaky,
        float[]? Mask = null, float MaskSlope = 0f, HeadOut Head = default, float[]? OutScale = null, float[]? YB = null, int SplitK = 0)
    {
        public void Run<TO, TV>()
            where TO : struct, IVecOps<TV>
            where TV : struct
        {
            int chunks = (T.Tw + TileBlock - 1) / TileBlock, blocks = T.N * T.Th * chunks;
            Par.Balanced(blocks, new Part<TO, TV>(this, chunks));
        }

        private readonly struct Part<TO, TV>(TileJob job, int chunks) : IRangeBody
            where TO : struct, IVecOps<TV>
            where TV : struct
        {
            public void Run(int b0, int b1) => job.Blocks<TO, TV>(b0, b1, chunks);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Blocks<TO, TV>(int b0, int b1, int chunks)
            where TO : struct, IVecOps<TV>
            where TV : struct
        {
            int vc = TO.Count;
            nint vStride = PositionStride(TileBlock, C), mStride = PositionStride(TileBlock, K);
            float[] vArr = Scratch.RentLocal(Positions * (int)vStride);
            float[] mArr = Scratch.RentLocal(Positions * (int)mStride);
            float* tmp = stackalloc float[Positions * vc];
            float* block = stackalloc float[Transpose.Block * Transpose.Block];
            float[] sArr = Scratch.RentLocal(Out * TileBlock * Out * K); // stage [4, 4*TileBlock, K]
            fixed (float* p = P, u = U, y = Y, yb = YB, v = vArr, m = mArr, bias = Bias, stage = sArr, mask = Mask, scale = OutScale)
            fixed (float* hw = Head.W, hb = Head.B, hy = Head.Y)
            {
                for (int b = b0; b < b1; b++)
                {
                    int n = b / (T.Th * chunks), ty = b / chunks % T.Th, tx0 = b % chunks * TileBlock;
                    int nt = Math.Min(TileBlock, T.Tw - tx0);
                    nint rowStride = (nint)T.Wp * C;

                    // V[ξ, t, c] = Bᵀ d B of the 6×6 patch at padded (4ty, 4tx)
                    for (int t = 0; t < nt; t++)
                    {
                        float* patch = p + ((nint)(n * T.Hp + ty * Out) * T.Wp + (tx0 + t) * Out) * C;
                        for (int c0 = 0; c0 < C; c0 += vc)
                            Input<TO, TV>(patch + c0, rowStride, C, tmp, v + t * C + c0, vStride);
                    }

                    // M[ξ, t, k] = Σ_c V[ξ, t, c] U[ξ, c, k]
                    for (int xi = 0; xi < Positions; xi++)
                        WinogradGemm.Gemm<TO, TV>(v + xi * vStride, C, 1, u + (nint)xi * C * K, K, C, m + xi * mStride, K, nt, K, false);

                    // stage[oi, 4t + oj, k] = (Aᵀ M A)[oi, oj], then y[n, k, 4ty + oi, 4tx0 + x] (=|+=) bias[k] + stage[oi, x, k]
                    nint stageRow = (nint)Out * TileBlock * K;
                    for (int t = 0; t < nt; t++)
                    {
                        for (int k0 = 0; k0 < K; k0 += vc)
                        {
                            Output<TO, TV>(m + t * K + k0, mStride, tmp, stage + t * Out * K + k0, stageRow, K);
                        }
                    }

                    int rows = Math.Min(Out, T.H - ty * Out), cols = Math.Min(nt * Out, T.W - tx0 * Out);
                    if (hy != null)
                    {
                        for (int oi = 0; oi < rows; oi++)
                        {
                            nint pixel = (nint)(n * T.H + ty * Out + oi) * T.W + tx0 * Out; // first pixel of this stage row
                            StoreWithHead<TO, TV>(stage + oi * stageRow, y + pixel * K, bias, hw, hb, hy, n, pixel - (nint)n * T.H * T.W, cols);
                        }

                        continue;
                    }

                    if (mask != null)
                    {
                        for (int oi = 0; oi < rows; oi++)
                        {
                            nint at = ((nint)(n * T.Hp + ty * Out + oi + 1) * T.Wp + tx0 * Out + 1) * K;
                            StoreMasked<TO, TV>(stage + oi * stageRow, mask + at, y + at, (nint)cols * K);
                        }

                        continue;
                    }

                    var parts = new ChannelParts(Y, SplitK > 0 ? SplitK : KOut, YB, SplitK > 0 ? KOut - SplitK : 0);
                    nint plane = (nint)T.H * T.W;
                    for (int oi = 0; oi < rows; oi++)
                    {
                        nint pixel = (nint)(ty * Out + oi) * T.W + tx0 * Out; // within the plane
                        StoreRow(stage + oi * stageRow, parts, y, yb, n, pixel, cols, bias, block,
                            scale == null ? null : scale + (nint)n * KOut * plane + pixel);
                    }
                }
            }

            Scratch.ReturnLocal(vArr);
            Scratch.ReturnLocal(mArr);
            Scratch.ReturnLocal(sArr);
        }

        // y[n, k, pixel + x] (=|+=) act(src[x*K + k] + bias[k]) (⊙ scale[k*plane + x]) for k < KOut, x < cols, y the
        // parts' planes (a null part skipped): one output row back to NCHW.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void StoreRow(float* src, ChannelParts parts, float* ya, float* yb, int n, nint pixel, int cols, float* bias, float* block, float* scale)
        {
            const int b = Transpose.Block;
            nint plane = (nint)T.H * T.W;
            for (int k0 = 0; k0 < KOut; k0 += b)
            {
                int kn = Math.Min(b, KOut - k0);
                float* bk = bias == null ? null : bias + k0;
                // a block of 16 channels in one part is one register transpose; a block across parts, or one with a part
                // that is not stored, goes channel by channel
                float* first = parts.Plane(ya, yb, n, k0, plane);
                bool whole = kn == b && (k0 + b <= parts.CA || k0 >= parts.CA) && first != null;
                for (int x0 = 0; x0 < cols; x0 += b)
                {
                    int xn = Math.Min(b, cols - x0);
                    if (whole && xn == b)
                    {
                        Transpose.Block16Into(src + (nint)x0 * K + k0, K, first + pixel + x0, plane, bk, Accumulate, Leaky,
                            scale == null ? null : scale + k0 * plane + x0);
                        continue;
                    }

                    Transpose.BlockScalar(src + (nint)x0 * K + k0, K, block, b, xn, kn); // block[k, x]
                    for (int k = 0; k < kn; k++)
                    {
                        float* d = parts.Plane(ya, yb, n, k0 + k, plane);
                        if (d == null) continue;
                        d += pixel + x0;
                        float bv = bk == null ? 0f : bk[k];
                        float* r = block + k * b;
                        float* sk = scale == null ? null : scale + (k0 + k) * plane + x0;
                        for (int x = 0; x < xn; x++)
                        {
                            float v = r[x] + bv;
                            if (Leaky is float slope && !(v > 0f)) v *= slope;
                            if (sk != null) v *= sk[x];
                            d[x] = Accumulate ? d[x] + v : v;
                        }
                    }
                }
            }
        }
    }
}
