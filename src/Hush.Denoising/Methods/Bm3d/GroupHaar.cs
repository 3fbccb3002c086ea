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

    /// <summary>The largest power of two ≤ <paramref name="n"/> (n ≥ 1).</summary>
    public static int FloorPowerOfTwo(int n) => 1 << (31 - int.LeadingZeroCount(n));
}
