using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Hush.Engine.Kernels;

/// <summary>
/// 16×16 float block transposes between channel-major (NCHW) and channel-last buffers, the layout change around the
/// Winograd convolution. The AVX-512 path swaps the off-diagonal b×b sub-blocks of every 2b×2b block for
/// b = 8, 4, 2, 1 with two-source permutes (64 vpermt2ps per block); the AVX2 path transposes the four 8×8 quarters
/// with unpack, shuffle and 128-bit lane permutes (24 instructions each); <see cref="BlockScalar"/> is their plain twin.
/// </summary>
internal static unsafe class Transpose
{
    public const int Block = 16;

    private static readonly Vector512<int>[] LowIndex = new Vector512<int>[4], HighIndex = new Vector512<int>[4];

    static Transpose()
    {
        // Round r swaps blocks of size b = 8 >> r between rows i (bit b clear) and j = i + b:
        //   new_i[c] = c & b ? row_j[c - b] : row_i[c]        new_j[c] = c & b ? row_j[c] : row_i[c + b]
        // (a permute index >= 16 picks from the second source, row_j).
        for (int r = 0; r < 4; r++)
        {
            int b = 8 >> r;
            var lo = new int[16];
            var hi = new int[16];
            for (int c = 0; c < 16; c++)
            {
                lo[c] = (c & b) != 0 ? 16 + c - b : c;
                hi[c] = (c & b) != 0 ? 16 + c : c + b;
            }

            LowIndex[r] = Vector512.Create(lo);
            HighIndex[r] = Vector512.Create(hi);
        }
    }

    /// <summary>dst[j*dstStride + i] = src[i*srcStride + j] for i, j &lt; 16.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Block16(float* src, nint srcStride, float* dst, nint dstStride)
    {
        if (!Avx512F.IsSupported)
        {
            if (!Avx.IsSupported)
            {
                BlockScalar(src, srcStride, dst, dstStride, Block, Block);
                return;
            }

            Block8(src, srcStride, dst, dstStride);
            Block8(src + 8, srcStride, dst + 8 * dstStride, dstStride);
            Block8(src + 8 * srcStride, srcStride, dst + 8, dstStride);
            Block8(src + 8 * srcStride + 8, srcStride, dst + 8 * dstStride + 8, dstStride);
            return;
        }

        Vector512<float> r0 = Vector512.Load(src), r1 = Vector512.Load(src + srcStride), r2 = Vector512.Load(src + 2 * srcStride),
            r3 = Vector512.Load(src + 3 * srcStride), r4 = Vector512.Load(src + 4 * srcStride), r5 = Vector512.Load(src + 5 * srcStride),
            r6 = Vector512.Load(src + 6 * srcStride), r7 = Vector512.Load(src + 7 * srcStride), r8 = Vector512.Load(src + 8 * srcStride),
            r9 = Vector512.Load(src + 9 * srcStride), r10 = Vector512.Load(src + 10 * srcStride), r11 = Vector512.Load(src + 11 * srcStride),
            r12 = Vector512.Load(src + 12 * srcStride), r13 = Vector512.Load(src + 13 * srcStride), r14 = Vector512.Load(src + 14 * srcStride),
            r15 = Vector512.Load(src + 15 * srcStride);

        Vector512<int> lo = LowIndex[0], hi = HighIndex[0];
        Swap(ref r0, ref r8, lo, hi); Swap(ref r1, ref r9, lo, hi); Swap(ref r2, ref r10, lo, hi); Swap(ref r3, ref r11, lo, hi);
        Swap(ref r4, ref r12, lo, hi); Swap(ref r5, ref r13, lo, hi); Swap(ref r6, ref r14, lo, hi); Swap(ref r7, ref r15, lo, hi);
        lo = LowIndex[1]; hi = HighIndex[1];
        Swap(ref r0, ref r4, lo, hi); Swap(ref r1, ref r5, lo, hi); Swap(ref r2, ref r6, lo, hi); Swap(ref r3, ref r7, lo, hi);
        Swap(ref r8, ref r12, lo, hi); Swap(ref r9, ref r13, lo, hi); Swap(ref r10, ref r14, lo, hi); Swap(ref r11, ref r15, lo, hi);
        lo = LowIndex[2]; hi = HighIndex[2];
        Swap(ref r0, ref r2, lo, hi); Swap(ref r1, ref r3, lo, hi); Swap(ref r4, ref r6, lo, hi); Swap(ref r5, ref r7, lo, hi);
        Swap(ref r8, ref r10, lo, hi); Swap(ref r9, ref r11, lo, hi); Swap(ref r12, ref r14, lo, hi); Swap(ref r13, ref r15, lo, hi);
        lo = LowIndex[3]; hi = HighIndex[3];
        Swap(ref r0, ref r1, lo, hi); Swap(ref r2, ref r3, lo, hi); Swap(ref r4, ref r5, lo, hi); Swap(ref r6, ref r7, lo, hi);
        Swap(ref r8, ref r9, lo, hi); Swap(ref r10, ref r11, lo, hi); Swap(ref r12, ref r13, lo, hi); Swap(ref r14, ref r15, lo, hi);

        r0.Store(dst); r1.Store(dst + dstStride); r2.Store(dst + 2 * dstStride); r3.Store(dst + 3 * dstStride);
        r4.Store(dst + 4 * dstStride); r5.Store(dst + 5 * dstStride); r6.Store(dst + 6 * dstStride); r7.Store(dst + 7 * dstStride);
        r8.Store(dst + 8 * dstStride); r9.Store(dst + 9 * dstStride); r10.Store(dst + 10 * dstStride); r11.Store(dst + 11 * dstStride);
        r12.Store(dst + 12 * dstStride); r13.Store(dst + 13 * dstStride); r14.Store(dst + 14 * dstStride); r15.Store(dst + 15 * dstStride);
    }

    /// <summary>dst[j*dstStride + i] (=|+=) act(src[i*srcStride + j] + bias[j]) ⊙ scale[j*dstStride + i] for i, j &lt; 16
    /// (bias and scale may be null; act = LeakyReLU(leaky) or identity): a 16×16 channels-last block back to 16 channel
    /// rows, with the epilogue fused.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Block16Into(float* src, nint srcStride, float* dst, nint dstStride, float* bias, bool accumulate, float? leaky,
        float* scale = null)
    {
        float* block = stackalloc float[Block * Block];
        Block16(src, srcStride, block, Block);
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> slope = Vector512.Create(leaky ?? 1f);
            for (int j = 0; j < Block; j++)
            {
                Vector512<float> v = Vector512.Load(block + j * Block);
                if (bias != null) v += Vector512.Create(bias[j]);
                if (leaky.HasValue) v = Vector512.ConditionalSelect(Vector512.GreaterThan(v, Vector512<float>.Zero), v, v * slope);
                if (scale != null) v *= Vector512.Load(scale + j * dstStride);
                float* d = dst + j * dstStride;
                if (accumulate) v += Vector512.Load(d);
                v.Store(d);
            }

            return;
        }

        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> slope = Vector256.Create(leaky ?? 1f);
            for (int j = 0; j < Block; j++)
            {
                for (int half = 0; half < Block; half += 8)
                {
                    Vector256<float> v = Vector256.Load(block + j * Block + half);
                    if (bias != null) v += Vector256.Create(bias[j]);
                    if (leaky.HasValue) v = Vector256.ConditionalSelect(Vector256.GreaterThan(v, Vector256<float>.Zero), v, v * slope);
                    if (scale != null) v *= Vector256.Load(scale + j * dstStride + half);
                    float* d = dst + j * dstStride + half;
                    if (accumulate) v += Vector256.Load(d);
                    v.Store(d);
                }
            }

            return;
        }

        for (int j = 0; j < Block; j++)
        {
            float b = bias == null ? 0f : bias[j];
            float* d = dst + j * dstStride, r = block + j * Block;
            for (int i = 0; i < Block; i++)
            {
                float v = r[i] + b;
                if (leaky is float s && !(v > 0f)) v *= s;
                if (scale != null) v *= scale[j * dstStride + i];
                d[i] = accumulate ? d[i] + v : v;
            }
        }
    }

    /// <summary>dst[j*dstStride + i] = src[i*srcStride + j] * (mask[i*srcStride + j] &gt; 0 ? 1 : slope) for i, j &lt; 16:
    /// LeakyReLU's backward (mask = the activation's output) fused into the layout change.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Block16Masked(float* src, float* mask, nint srcStride, float slope, float* dst, nint dstStride)
    {
        float* block = stackalloc float[Block * Block];
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> s = Vector512.Create(slope);
            for (int i = 0; i < Block; i++)
            {
                Vector512<float> v = Vector512.Load(src + i * srcStride);
                Vector512<float> m = Vector512.Load(mask + i * srcStride);
                Vector512.ConditionalSelect(Vector512.GreaterThan(m, Vector512<float>.Zero), v, v * s).Store(block + i * Block);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> s = Vector256.Create(slope);
            for (int i = 0; i < Block; i++)
            {
                for (int half = 0; half < Block; half += 8)
                {
                    Vector256<float> v = Vector256.Load(src + i * srcStride + half);
                    Vector256<float> m = Vector256.Load(mask + i * srcStride + half);
                    Vector256.ConditionalSelect(Vector256.GreaterThan(m, Vector256<float>.Zero), v, v * s).Store(block + i * Block + half);
                }
            }
        }
        else
        {
            for (int i = 0; i < Block; i++)
            {
                for (int j = 0; j < Block; j++)
                {
                    float v = src[i * srcStride + j];
                    block[i * Block + j] = mask[i * srcStride + j] > 0f ? v : v * slope;
                }
            }
        }

        Block16(block, Block, dst, dstStride);
    }

    // dst[j*dstStride + i] = src[i*srcStride + j] for i, j < 8 (AVX): pairs of rows interleaved, then pairs of pairs,
    // then the 128-bit halves exchanged.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block8(float* src, nint srcStride, float* dst, nint dstStride)
    {
        Vector256<float> r0 = Avx.LoadVector256(src), r1 = Avx.LoadVector256(src + srcStride), r2 = Avx.LoadVector256(src + 2 * srcStride),
            r3 = Avx.LoadVector256(src + 3 * srcStride), r4 = Avx.LoadVector256(src + 4 * srcStride), r5 = Avx.LoadVector256(src + 5 * srcStride),
            r6 = Avx.LoadVector256(src + 6 * srcStride), r7 = Avx.LoadVector256(src + 7 * srcStride);
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3),
            t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE), u2 = Avx.Shuffle(t1, t3, 0x44),
            u3 = Avx.Shuffle(t1, t3, 0xEE), u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE),
            u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(dst, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(dst + dstStride, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(dst + 2 * dstStride, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(dst + 3 * dstStride, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(dst + 4 * dstStride, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(dst + 5 * dstStride, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(dst + 6 * dstStride, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(dst + 7 * dstStride, Avx.Permute2x128(u3, u7, 0x31));
    }

    /// <summary>dst[j*dstStride + i] = src[i*srcStride + j] * scale[i*srcStride + j] for i, j &lt; 16: an input
    /// mask (dropout's) applied on the way into the channels-last layout.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Block16Scaled(float* src, float* scale, nint srcStride, float* dst, nint dstStride)
    {
        float* block = stackalloc float[Block * Block];
        for (int i = 0; i < Block; i++)
        {
            int j = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                for (; j < Block; j += 8)
                    (Vector256.Load(src + i * srcStride + j) * Vector256.Load(scale + i * srcStride + j)).Store(block + i * Block + j);
            }

            for (; j < Block; j++) block[i * Block + j] = src[i * srcStride + j] * scale[i * srcStride + j];
        }

        Block16(block, Block, dst, dstStride);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Swap(ref Vector512<float> a, ref Vector512<float> b, Vector512<int> lo, Vector512<int> hi)
    {
        Vector512<float> na = Avx512F.PermuteVar16x32x2(a, lo, b);
        b = Avx512F.PermuteVar16x32x2(a, hi, b);
        a = na;
    }

    /// <summary>dst[j*dstStride + i] = src[i*srcStride + j] for i &lt; rows, j &lt; cols.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BlockScalar(float* src, nint srcStride, float* dst, nint dstStride, int rows, int cols)
    {
        for (int i = 0; i < rows; i++)
        {
            float* s = src + i * srcStride;
            for (int j = 0; j < cols; j++) dst[j * dstStride + i] = s[j];
        }
    }
}
