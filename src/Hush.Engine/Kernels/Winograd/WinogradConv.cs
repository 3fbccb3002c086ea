using System.Runtime.Intrinsics;
using System.Runtime.CompilerServices;
using static Hush.Engine.Kernels.Winograd.WinogradTransforms;

namespace Hush.Engine.Kernels.Winograd;

/// <summary>
/// 3×3, stride-1, pad-1 convolutions by Winograd F(4×4, 3×3): forward, backward-data (the same algorithm on dY with
/// rotated, transposed filters) and backward-weight (dU = Σ_tiles dM ⊙ V, then dW += Gᵀ dU G). Per 4×4 output tile
/// the 36 transformed positions each become one small GEMM over channels, 4× fewer multiplications than direct
/// convolution (<see cref="DirectFlopsRatio"/>); the transforms cost extra additions and memory passes.
///
/// Data flow of one call: the NCHW input is copied once into a zero-padded channels-last buffer
/// P [N, th*4+2, tw*4+2, C] (so a tile's channel vectors are contiguous and no bounds checks are needed), then
/// blocks of <see cref="TileBlock"/> tiles of one tile row are transformed (V [36, tiles, C]), multiplied with the
/// transformed filters (U [36, C, K]) position by position (M [36, tiles, K]) and transformed back into the NCHW
/// output; V, M and U stay in L2. Blocks are claimed by the threads in chunks (Par.Balanced); every output element is
/// produced by one thread and dW sums per-thread partials in thread order, so results are deterministic for a thread
/// count.
///
/// Precision: F(4×4, 3×3) in float32 differs from direct convolution by about 1e-6 relative to the magnitude of
/// the terms summed (the transforms multiply by at most 8 and divide by 24).
/// </summary>
internal static unsafe partial class WinogradConv
{
    /// <summary>Direct-convolution FLOPs per Winograd GEMM FLOP (144 / 36).</summary>
    public const double DirectFlopsRatio = 4.0;

    private const int TileBlock = 8;   // tiles per forward block: V, M = 36*16*C floats each
    private const int WeightBlock = 16; // tiles per weight-gradient block

    /// <summary>Fewest 4×4 output tiles for which the filter transforms (Cin·Cout filters, forward and backward) pay
    /// off: below 32×32 pixels direct convolution is faster.</summary>
    public const int MinTiles = 64;

    public static bool Can(in ConvGeometry g, SimdLevel level)
    {
        int lanes = Lanes(level);
        long tiles = (long)g.N * ((g.H + Out - 1) / Out) * ((g.W + Out - 1) / Out);
        // Channel counts that are not a multiple of the vector width are zero-padded up to one inside the padded
        // buffers and transformed filters (e.g. 99 → 112): the extra work is under 4 × what it saves.
        return g.KH == 3 && g.KW == 3 && g.Stride == 1 && g.Pad == 1 && g.Dil == 1 && g.Groups == 1 &&
               g.Cin >= 16 && g.Cout >= 16 && tiles >= MinTiles && lanes > 0;
    }

    // y[N, Cout, H, W] = act(conv3x3(x[N, Cin, H, W], w[Cout, Cin, 3, 3]) + bias), act = LeakyReLU(leaky) or identity
    // Returns the padded copy of x when keepPadded (pass it to Backward as paddedX), else null.
    public static float[]? Forward(in ConvGeometry g, float[] y, float[] x, float[] w, float[]? bias, SimdLevel level, float? leaky = null,
        bool keepPadded = false)
    {
        var t = new Tiling(g.N, g.H, g.W);
        int cp = RoundUp(g.Cin, Lanes(level)), kp = RoundUp(g.Cout, Lanes(level));
        float[] p = Padded(x, t, g.Cin, cp, 1, null, 0f);
        float[] u = Scratch.Rent(Positions * cp * kp);
        Filters(w, g.Cout, g.Cin, adjoint: false, u, cp, kp);
        Dispatch(level, new TileJob(t, p, cp, u, kp, g.Cout, bias, y, false, leaky));
        Scratch.Return(u);
        if (keepPadded) return p;
        Scratch.Return(p);
        return null;
    }

    // With g = dY, or g = dY ⊙ (y > 0 ? 1 : slope) when the forward pass applied LeakyReLU(slope) and y is its output:
    // dX[N, Cin, H, W] += conv3x3ᵀ(g, w);  dW[Cout, Cin, 3, 3] += Σ g ⋆ x;  dB[Cout] += Σ g.   Any target may be null.
    // paddedX: Forward's padded copy of x, if kept (consumed: returned to the scratch pool here).
    public static void Backward(in ConvGeometry g, float[]? dX, float[]? dW, float[]? dB, float[] dY, float[] x, float[] w,
        SimdLevel level, float[]? y = null, float slope = 0f, float[]? paddedX = null)
    {
        var t = new Tiling(g.N, g.H, g.W);
        int cp = RoundUp(g.Cin, Lanes(level)), kp = RoundUp(g.Cout, Lanes(level));
        float[] pdy = Padded(dY, t, g.Cout, kp, 1, y, slope); // the activation's gradient is applied here, in the copy
        if (dX is not null)
        {
            float[] u = Scratch.Rent(Positions * cp * kp);
            Filters(w, g.Cout, g.Cin, adjoint: true, u, kp, cp);
            Dispatch(level, new TileJob(t, pdy, kp, u, cp, g.Cin, null, dX, true, null));
            Scratch.Return(u);
        }

        float[]? px = dW is null ? null : paddedX ?? Padded(x, t, g.Cin, cp, 1, null, 0f);
        WeightGradients(t, g.Cout, g.Cin, px, cp, pdy, kp, dW, dB, level);
        if ((px ?? paddedX) is { } kept) Scratch.Return(kept);
        Scratch.Return(pdy);
    }

    // dW[Cout, Cin, 3, 3] += Σ g ⋆ x and dB[Cout] += Σ g from the padded channels-last copies px (x, channel stride cp;
    // needed only with dW) and pdy (g, stride kp), in the transformed domain; with dB alone, summed from pdy directly.
    private static void WeightGradients(Tiling t, int cout, int cin, float[]? px, int cp, float[] pdy, int kp, float[]? dW, float[]? dB,
        SimdLevel level)
    {
        if (dW is null)
        {
            if (dB is not null) BiasFromPadded(pdy, t, cout, kp, dB);
            return;
        }

        var job = new WeightJob(t, px ?? throw new ArgumentNullException(nameof(px)), cp, pdy, kp, Threading.MaxThreads);
        (float[] du, double[] db) = level switch
        {
            SimdLevel.Avx512 => job.Run<Vec512, Vector512<float>>(),
            SimdLevel.Avx2 => job.Run<Vec256, Vector256<float>>(),
            _ => job.Run<VecScalar, float>(),
        };
        FilterGradients(du, cout, cin, dW, kp, cp);
        if (dB is not null)
        {
            for (int k = 0; k < cout; k++) dB[k] += (float)db[k];
        }

        Scratch.Return(du);
    }

    private static int RoundUp(int v, int m) => (v + m - 1) / m * m;

    private static int Lanes(SimdLevel level) => level switch { SimdLevel.Avx512 => 16, SimdLevel.Avx2 => 8, _ => 1 };

    private static void Dispatch(SimdLevel level, TileJob job)
    {
        switch (level)
        {
            case SimdLevel.Avx512: job.Run<Vec512, Vector512<float>>(); break;
            case SimdLevel.Avx2: job.Run<Vec256, Vector256<float>>(); break;
            default: job.Run<VecScalar, float>(); break;
        }
    }

    /// <summary>A 1×1 convolution applied in a forward tile job's epilogue (see <see cref="TileJob"/>): weights W [K, C],
    /// bias B [K], output Y [N, K, H, W]. Default (Y null): none.</summary>
    private readonly record struct HeadOut(float[]? W, float[]? B, float[]? Y, int K);

    /// <summary>Tile grid of an H×W image: th × tw tiles of 4×4 and the padded buffer's Hp × Wp.</summary>
    private readonly record struct Tiling(int N, int H, int W)
    {
        public int Th => (H + Out - 1) / Out;
        public int Tw => (W + Out - 1) / Out;
        public int Hp => Th * Out + 2;
        public int Wp => Tw * Out + 2;
    }

    // BiasFromPadded's sums, reused across the calling thread's calls (grown as needed) so a call allocates nothing.
    [ThreadStatic] private static double[]? _biasSums;

    // dB[k] += Σ pdy[.., k] (the zero padding adds nothing), summed in double in a fixed order.
    private static void BiasFromPadded(float[] pdy, Tiling t, int k, int kp, float[] dB)
    {
        double[] sums = _biasSums is { } cached && cached.Length >= k ? cached : _biasSums = new double[k];
        Array.Clear(sums, 0, k);
        long pixels = (long)t.N * t.Hp * t.Wp;
        for (long p = 0; p < pixels; p++)
        {
            for (int c = 0; c < k; c++) sums[c] += pdy[p * kp + c];
        }

        for (int c = 0; c < k; c++) dB[c] += (float)sums[c];
    }

    // dst [N, Hp, Wp, C] (pooled) = src [N, C, H, W] placed at (offset, offset), zeros elsewhere; with a mask source m
    // (same shape as src), each value is first multiplied by 1 where m > 0 and by slope elsewhere.
    // cp ≥ c: channel stride of dst; channels c..cp-1 are zero.
    private static float[] Padded(float[] src, Tiling t, int c, int cp, int offset, float[]? mask, float slope)
    {
        int n = t.N, hp = t.Hp;
        float[] dst = Scratch.Rent(n * hp * t.Wp * cp);
        Par.Balanced(n * hp, new PaddedRows(src, dst, mask, slope, t, c, cp, offset));
        return dst;
    }

    // Padded over the rows r (image, padded row) in [r0, r1)
    private readonly struct PaddedRows(float[] src, float[] dst, float[]? mask, float slope, Tiling t, int c, int cp, int offset)
        : IRangeBody
    {
        public void Run(int r0, int r1)
        {
            int h = t.H, w = t.W, hp = t.Hp, wp = t.Wp;
            nint rowLength = (nint)wp * cp;
            fixed (float* s = src, d = dst, m = mask)
            {
                for (int r = r0; r < r1; r++)
                {
                    int img = r / hp, y = r % hp - offset;
                    float* dr = d + r * rowLength;
                    if ((uint)y >= (uint)h)
                    {
                        new Span<float>(dr, (int)rowLength).Clear();
                        continue;
                    }

                    new Span<float>(dr, offset * cp).Clear();
                    new Span<float>(dr + (offset + w) * cp, (wp - offset - w) * cp).Clear();
                    // dr[(offset + x)*cp + ch] = src[img, ch, y, x], 16×16 blocks at a time
                    nint at = (nint)img * c * h * w + (nint)y * w;
                    ToChannelsLast(s + at, m == null ? null : m + at, slope, (nint)h * w, dr + offset * cp, c, cp, w);
                }
            }
        }
    }

    // dst[x*cp + ch] = src[ch*plane + x] (⊙ (mask > 0 ? 1 : slope)) for ch < c, and 0 for c ≤ ch < cp, x < w
    // (one image row to channels-last).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ToChannelsLast(float* src, float* mask, float slope, nint plane, float* dst, int c, int cp, int w)
    {
        const int b = Transpose.Block;
        int c0 = 0;
        for (; c0 + b <= c; c0 += b)
        {
            int x = 0;
            for (; x + b <= w; x += b)
            {
                if (mask == null) Transpose.Block16(src + c0 * plane + x, plane, dst + (nint)x * cp + c0, cp);
                else Transpose.Block16Masked(src + c0 * plane + x, mask + c0 * plane + x, plane, slope, dst + (nint)x * cp + c0, cp);
            }

            TailScalar(src + c0 * plane + x, mask == null ? null : mask + c0 * plane + x, slope, plane, dst + (nint)x * cp + c0, cp, b, w - x);
        }

        TailScalar(src + c0 * plane, mask == null ? null : mask + c0 * plane, slope, plane, dst + c0, cp, c - c0, w);
        if (cp > c)
        {
            for (int x = 0; x < w; x++) new Span<float>(dst + (nint)x * cp + c, cp - c).Clear();
        }
    }

    private static void TailScalar(float* src, float* mask, float slope, nint plane, float* dst, int c, int channels, int cols)
    {
        for (int ch = 0; ch < channels; ch++)
        {
            for (int x = 0; x < cols; x++)
            {
                float v = src[ch * plane + x];
                if (mask != null && !(mask[ch * plane + x] > 0f)) v *= slope;
                dst[(nint)x * c + ch] = v;
            }
        }
    }

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
    /// A struct, run through the struct body Part: a call allocates neither the job nor a closure.
    private readonly record struct TileJob(Tiling T, float[] P, int C, float[] U, int K, int KOut, float[]? Bias, float[] Y, bool Accumulate, float? Leaky,
        float[]? Mask = null, float MaskSlope = 0f, HeadOut Head = default)
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
            float[] vArr = Scratch.RentLocal(Positions * TileBlock * C);
            float[] mArr = Scratch.RentLocal(Positions * TileBlock * K);
            float* tmp = stackalloc float[Positions * vc];
            float* block = stackalloc float[Transpose.Block * Transpose.Block];
            float[] sArr = Scratch.RentLocal(Out * TileBlock * Out * K); // stage [4, 4*TileBlock, K]
            fixed (float* p = P, u = U, y = Y, v = vArr, m = mArr, bias = Bias, stage = sArr, mask = Mask)
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
                            Input<TO, TV>(patch + c0, rowStride, C, tmp, v + t * C + c0, (nint)TileBlock * C);
                    }

                    // M[ξ, t, k] = Σ_c V[ξ, t, c] U[ξ, c, k]
                    for (int xi = 0; xi < Positions; xi++)
                        Gemm<TO, TV>(v + (nint)xi * TileBlock * C, C, 1, u + (nint)xi * C * K, K, C, m + (nint)xi * TileBlock * K, K, nt, K, false);

                    // stage[oi, 4t + oj, k] = (Aᵀ M A)[oi, oj], then y[n, k, 4ty + oi, 4tx0 + x] (=|+=) bias[k] + stage[oi, x, k]
                    nint stageRow = (nint)Out * TileBlock * K;
                    for (int t = 0; t < nt; t++)
                    {
                        for (int k0 = 0; k0 < K; k0 += vc)
                        {
                            Output<TO, TV>(m + t * K + k0, (nint)TileBlock * K, tmp, stage + t * Out * K + k0, stageRow, K);
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

                    for (int oi = 0; oi < rows; oi++)
                        StoreRow(stage + oi * stageRow, y + (nint)n * KOut * T.H * T.W + (nint)(ty * Out + oi) * T.W + tx0 * Out, cols, bias, block);
                }
            }

            Scratch.ReturnLocal(vArr);
            Scratch.ReturnLocal(mArr);
            Scratch.ReturnLocal(sArr);
        }

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

        // y[k*plane + x] (=|+=) src[x*K + k] + bias[k] for k < K, x < cols: one output row back to NCHW.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void StoreRow(float* src, float* y, int cols, float* bias, float* block)
        {
            const int b = Transpose.Block;
            nint plane = (nint)T.H * T.W;
            for (int k0 = 0; k0 < KOut; k0 += b)
            {
                int kn = Math.Min(b, KOut - k0);
                float* bk = bias == null ? null : bias + k0;
                for (int x0 = 0; x0 < cols; x0 += b)
                {
                    int xn = Math.Min(b, cols - x0);
                    if (kn == b && xn == b)
                    {
                        Transpose.Block16Into(src + (nint)x0 * K + k0, K, y + k0 * plane + x0, plane, bk, Accumulate, Leaky);
                        continue;
                    }

                    Transpose.BlockScalar(src + (nint)x0 * K + k0, K, block, b, xn, kn); // block[k, x]
                    for (int k = 0; k < kn; k++)
                    {
                        float bv = bk == null ? 0f : bk[k];
                        float* d = y + (k0 + k) * plane + x0, r = block + k * b;
                        for (int x = 0; x < xn; x++)
                        {
                            float v = r[x] + bv;
                            if (Leaky is float slope && !(v > 0f)) v *= slope;
                            d[x] = Accumulate ? d[x] + v : v;
                        }
                    }
                }
            }
        }
    }

    /// <summary>Weight gradient in the transformed domain: dU[ξ, k, c] = Σ_tiles dM[ξ, t, k] V[ξ, t, c], one partial
    /// per thread, summed in thread order, and the bias gradient Σ dY per channel (float per tile block, then double).
    /// Returns dU [36, K, C] (pooled) and dB in the first K entries of a buffer this thread reuses (read it before the
    /// next weight job). A struct, run through the struct body Part; its per-part buffers are reused across calls.</summary>
    private readonly record struct WeightJob(Tiling T, float[] Px, int C, float[] Pdy, int K, int Parts)
    {
        // The calling thread's per-part dU buffers (rented from Scratch, references dropped after each call) and bias
        // partials [parts, K], grown as needed: a job allocates nothing after the first.
        [ThreadStatic] private static float[]?[]? _partials;
        [ThreadStatic] private static double[]? _biasPartials;

        public (float[] DU, double[] DB) Run<TO, TV>()
            where TO : struct, IVecOps<TV>
            where TV : struct
        {
            int chunks = (T.Tw + WeightBlock - 1) / WeightBlock, blocks = T.N * T.Th * chunks;
            int parts = Math.Clamp(Parts, 1, blocks), size = Positions * K * C;
            float[]?[] partials = _partials is { } p && p.Length >= parts ? p : _partials = new float[]?[parts];
            double[] biasPartials = _biasPartials is { } b && b.Length >= parts * K ? b : _biasPartials = new double[parts * K];
            Par.For(parts, parts, new Part<TO, TV>(this, partials, biasPartials, blocks, chunks, parts, size));

            float[] total = partials[0]!;
            for (int q = 1; q < parts; q++)
            {
                System.Numerics.Tensors.TensorPrimitives.Add(total.AsSpan(0, size), partials[q]!.AsSpan(0, size), total.AsSpan(0, size));
                Scratch.Return(partials[q]!);
                for (int k = 0; k < K; k++) biasPartials[k] += biasPartials[q * K + k];
            }

            Array.Clear(partials, 0, parts);
            return (total, biasPartials);
        }

        // Parts q in [q0, q1): part q accumulates blocks [blocks*q/parts, blocks*(q+1)/parts) into its own dU and bias partial.
        private readonly struct Part<TO, TV>(WeightJob job, float[]?[] partials, double[] biasPartials, int blocks, int chunks, int parts, int size)
            : IRangeBody
            where TO : struct, IVecOps<TV>
            where TV : struct
        {
            public void Run(int q0, int q1)
            {
                for (int q = q0; q < q1; q++)
                {
                    float[] du = Scratch.Rent(size);
                    Array.Clear(du, 0, size);
                    Span<double> db = biasPartials.AsSpan(q * job.K, job.K);
                    db.Clear();
                    job.Accumulate<TO, TV>(du, db, (int)((long)blocks * q / parts), (int)((long)blocks * (q + 1) / parts), chunks);
                    partials[q] = du;
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Accumulate<TO, TV>(float[] duArr, Span<double> db, int b0, int b1, int chunks)
            where TO : struct, IVecOps<TV>
            where TV : struct
        {
            int vc = TO.Count;
            float* blockBias = stackalloc float[K];
            float[] vArr = Scratch.RentLocal(Positions * WeightBlock * C);
            float[] mArr = Scratch.RentLocal(Positions * WeightBlock * K);
            float* tmp = stackalloc float[Positions * vc];
            fixed (float* px = Px, pdy = Pdy, du = duArr, v = vArr, dm = mArr)
            {
                nint xRow = (nint)T.Wp * C, gRow = (nint)T.Wp * K;
                for (int b = b0; b < b1; b++)
                {
                    int n = b / (T.Th * chunks), ty = b / chunks % T.Th, tx0 = b % chunks * WeightBlock;
                    int nt = Math.Min(WeightBlock, T.Tw - tx0);
                    new Span<float>(blockBias, K).Clear();
                    for (int t = 0; t < nt; t++)
                    {
                        int tx = tx0 + t;
                        float* patch = px + ((nint)(n * T.Hp + ty * Out) * T.Wp + tx * Out) * C;
                        for (int c0 = 0; c0 < C; c0 += vc)
                            Input<TO, TV>(patch + c0, xRow, C, tmp, v + t * C + c0, (nint)WeightBlock * C);

                        // dY tile: padded rows/cols start at 1; beyond H×W the padding is zero, as it must be.
                        float* g = pdy + ((nint)(n * T.Hp + ty * Out + 1) * T.Wp + tx * Out + 1) * K;
                        for (int k0 = 0; k0 < K; k0 += vc)
                        {
                            OutputAdjoint<TO, TV>(g + k0, gRow, K, tmp, dm + t * K + k0, (nint)WeightBlock * K);
                            TV sum = TO.Load(blockBias + k0);
                            for (int i = 0; i < Out; i++)
                            {
                                for (int j = 0; j < Out; j++) sum = TO.Add(sum, TO.Load(g + k0 + i * gRow + j * K));
                            }

                            TO.Store(blockBias + k0, sum);
                        }
                    }

                    for (int k = 0; k < K; k++) db[k] += blockBias[k];

                    // dU[ξ, k, c] += Σ_t dM[ξ, t, k] V[ξ, t, c]
                    for (int xi = 0; xi < Positions; xi++)
                        Gemm<TO, TV>(dm + (nint)xi * WeightBlock * K, 1, K, v + (nint)xi * WeightBlock * C, C, nt, du + (nint)xi * K * C, C, K, C, true);
                }
            }

            Scratch.ReturnLocal(vArr);
            Scratch.ReturnLocal(mArr);
        }
    }

    // c[r, col] (=|+=) Σ_(s < steps) a[r*aRow + s*aStep] b[s*bStep + col]  for r < rows, col < cols (cols % Count == 0)
    private static void Gemm<TO, TV>(float* a, nint aRow, nint aStep, float* b, nint bStep, int steps, float* c, nint cRow,
        int rows, int cols, bool accumulate)
        where TO : struct, IVecOps<TV>
        where TV : struct
    {
        int vc = TO.Count, tall = vc == 8 ? 4 : 8; // AVX2's 16 registers hold 4×3 accumulators, not 8×3
        int r = 0;
        for (; r + tall <= rows; r += tall)
        {
            float* ar = a + r * aRow, cr = c + r * cRow;
            int col = 0;
            for (; col + 3 * vc <= cols; col += 3 * vc)
            {
                if (tall == 8) WinogradGemm.Gemm8x3<TO, TV>(ar, aRow, aStep, b + col, bStep, steps, cr + col, cRow, accumulate);
                else WinogradGemm.Gemm4x3<TO, TV>(ar, aRow, aStep, b + col, bStep, steps, cr + col, cRow, accumulate);
            }

            if (cols - col == 2 * vc)
            {
                if (tall == 8) WinogradGemm.Gemm8x2<TO, TV>(ar, aRow, aStep, b + col, bStep, steps, cr + col, cRow, accumulate);
                else WinogradGemm.Gemm4x2<TO, TV>(ar, aRow, aStep, b + col, bStep, steps, cr + col, cRow, accumulate);
            }
            else if (cols - col == vc)
            {
                if (tall == 8) WinogradGemm.Gemm8x1<TO, TV>(ar, aRow, aStep, b + col, bStep, steps, cr + col, cRow, accumulate);
                else WinogradGemm.Gemm4x1<TO, TV>(ar, aRow, aStep, b + col, bStep, steps, cr + col, cRow, accumulate);
            }
        }

        for (; r < rows; r++)
        {
            float* ar = a + r * aRow, cr = c + r * cRow;
            int col = 0;
            for (; col + 3 * vc <= cols; col += 3 * vc)
                WinogradGemm.Gemm1x3<TO, TV>(ar, aRow, aStep, b + col, bStep, steps, cr + col, cRow, accumulate);
            if (cols - col == 2 * vc) WinogradGemm.Gemm1x2<TO, TV>(ar, aRow, aStep, b + col, bStep, steps, cr + col, cRow, accumulate);
            else if (cols - col == vc) WinogradGemm.Gemm1x1<TO, TV>(ar, aRow, aStep, b + col, bStep, steps, cr + col, cRow, accumulate);
        }
    }
}
