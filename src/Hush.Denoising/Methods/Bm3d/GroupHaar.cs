using System.Runtime.Intrinsics;

namespace Hush.Denoising.Methods.Bm3d;

/// <summary>The orthonormal Haar transform along a group's third dimension (the reference code's "haar" with
/// power-of-two group sizes): full decomposition, in place, coefficients ordered coarse to fine.</summary>
internal static class GroupHaar
{
    private const float R = 0.70710678118654752f;

    // x[n] → its Haar coefficients; n a power of two; tmp: n floats.
    public static void Forward(Span<float> x, Span<float> tmp)
    {
        for (int len = x.Length; len > 1; len >>= 1)
        {
            int half = len >> 1;
            for (int i = 0; i < half; i++)
            {
                float a = x[2 * i], b = x[2 * i + 1];
                tmp[i] = (a + b) * R;
                tmp[half + i] = (a - b) * R;
            }
            tmp[..len].CopyTo(x);
        }
    }

    // The inverse of Forward.
    public static void Inverse(Span<float> x, Span<float> tmp)
    {
        for (int len = 2; len <= x.Length; len <<= 1)
        {
            int half = len >> 1;
            for (int i = 0; i < half; i++)
            {
                float s = x[i], d = x[half + i];
                tmp[2 * i] = (s + d) * R;
                tmp[2 * i + 1] = (s - d) * R;
            }
            tmp[..len].CopyTo(x);
        }
    }

    // x = n blocks of len floats, block-major: the transform along the block index for every element at once (what
    // Forward does to each column); n a power of two; tmp: n·len floats.
    public static void ForwardBlocks(Span<float> x, int n, int len, Span<float> tmp)
    {
        for (int count = n; count > 1; count >>= 1)
        {
            int half = count >> 1;
            for (int i = 0; i < half; i++)
                Butterfly(x.Slice(2 * i * len, len), x.Slice((2 * i + 1) * len, len), tmp.Slice(i * len, len), tmp.Slice((half + i) * len, len));
            tmp[..(count * len)].CopyTo(x);
        }
    }

    // The inverse of ForwardBlocks.
    public static void InverseBlocks(Span<float> x, int n, int len, Span<float> tmp)
    {
        for (int count = 2; count <= n; count <<= 1)
        {
            int half = count >> 1;
            for (int i = 0; i < half; i++)
                Butterfly(x.Slice(i * len, len), x.Slice((half + i) * len, len), tmp.Slice(2 * i * len, len), tmp.Slice((2 * i + 1) * len, len));
            tmp[..(count * len)].CopyTo(x);
        }
    }

    // sum = (a + b)·R, difference = (a − b)·R, elementwise.
    private static void Butterfly(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> sum, Span<float> difference)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var r = Vector256.Create(R);
            for (; i + 8 <= a.Length; i += 8)
            {
                var va = Vector256.Create(a.Slice(i, 8));
                var vb = Vector256.Create(b.Slice(i, 8));
                ((va + vb) * r).CopyTo(sum.Slice(i, 8));
                ((va - vb) * r).CopyTo(difference.Slice(i, 8));
            }
        }
        for (; i < a.Length; i++)
        {
            sum[i] = (a[i] + b[i]) * R;
            difference[i] = (a[i] - b[i]) * R;
        }
    }

    /// <summary>The largest power of two ≤ <paramref name="n"/> (n ≥ 1).</summary>
    public static int FloorPowerOfTwo(int n) => 1 << (31 - int.LeadingZeroCount(n));
}
