using System.Numerics;
using System.Runtime.InteropServices;
using Hush.Engine.Kernels;

namespace Hush.Engine.Fused;

/// <summary>
/// T-standout's multipliers in one pass over the input (<see cref="FusedOps.StandoutMask(Tensor, float, float, StandoutScale, Rng)"/>): per plane, the largest
/// gradient magnitude (for a relative threshold, read while the plane is in cache), then each unit's magnitude against
/// the limit and, where it falls short, its Bernoulli draw. It replaces four passes (magnitudes, threshold, draws,
/// merge) that wrote three tensor-sized arrays, about 6 % of a Blind2Grad step at 256², whose decoder draws a mask
/// before every convolution of both forward passes.
///
/// Bit for bit the same values. The magnitudes m = √s, s = dx² + dy² (forward differences, 0 beyond the last column or
/// row), are never taken: √ is monotone and correctly rounded, so the plane's largest m is √(max s), and m ≥ limit exactly when
/// s ≥ <see cref="SquareLimit"/>, the least float whose √ reaches the limit. The draws are <see cref="Bernoulli"/>'s
/// hash of (key, element index). Vector bodies with a scalar tail that is their twin.
/// </summary>
internal static class StandoutDraws
{
    // mask[p, i, j] = m ≥ limit(p) ? 1 : (Uniform24(p·h·w + i·w + j, key) < t ? factor : 0), m = √(dx² + dy²) of plane p
    // of x (forward differences, 0 beyond the last column/row); limit(p) = threshold, or when relative threshold · max m
    // over plane p (+∞ for a plane whose magnitudes are all 0: it keeps nothing)
    public static void Fill(float[] mask, float[] x, int planes, int h, int w, float threshold, bool relative, ulong key,
        uint t, float factor) => Fill(mask, 0, x, 0, planes, h, w, threshold, relative, key, t, factor);

    // The same for planes maskFirst.. of the mask (and of the element indices the draws hash), read from planes xFirst.. of
    // x: the mask of a concatenation part by part (ChannelParts), equal to the concatenation's own.
    public static void Fill(float[] mask, int maskFirst, float[] x, int xFirst, int planes, int h, int w, float threshold, bool relative,
        ulong key, uint t, float factor) =>
        Par.For(planes, PlaneParts.For((long)planes * h * w),
            new Planes(mask, maskFirst, x, xFirst, h, w, threshold, relative, (uint)key, (uint)(key >> 32), t, factor));

    /// <summary>The least float s with √s ≥ <paramref name="limit"/> (for s ≥ 0): limit² moved by whole ulps until it is.</summary>
    internal static float SquareLimit(float limit)
    {
        float s = limit * limit;
        while (MathF.Sqrt(s) >= limit && s > 0f) s = MathF.BitDecrement(s);
        while (!(MathF.Sqrt(s) >= limit) && s < float.PositiveInfinity) s = MathF.BitIncrement(s);
        return s;
    }

    // Fill over the planes p in [p0, p1)
    private readonly struct Planes(float[] mask, int maskFirst, float[] x, int xFirst, int h, int w, float threshold, bool relative,
        uint k0, uint k1, uint t, float factor) : IRangeBody
    {
        public void Run(int p0, int p1)
        {
            for (int p = p0; p < p1; p++)
            {
                float limit = threshold;
                if (relative)
                {
                    float max = MathF.Sqrt(LargestSquare((xFirst + p) * h * w));
                    limit = max > 0f ? threshold * max : float.PositiveInfinity;
                }

                float square = SquareLimit(limit);
                for (int i = 0; i < h; i++)
                {
                    int o = ((maskFirst + p) * h + i) * w, ox = ((xFirst + p) * h + i) * w;
                    int j = i < h - 1 && Vector.IsHardwareAccelerated ? RowVectors(o, ox, square) : 0;
                    for (; j < w; j++)
                        mask[o + j] = Square(ox, j, i < h - 1) >= square ? 1f : Bernoulli.Uniform24((uint)(o + j), k0, k1) < t ? factor : 0f;
                }
            }
        }

        // max of dx² + dy² over the plane at o
        private float LargestSquare(int o)
        {
            int lanes = Vector<float>.Count;
            ref float xr = ref MemoryMarshal.GetArrayDataReference(x);
            float max = 0f;
            for (int i = 0; i < h; i++, o += w)
            {
                int j = 0;
                if (i < h - 1 && Vector.IsHardwareAccelerated && w - 1 >= lanes)
                {
                    var vmax = Vector<float>.Zero;
                    for (nuint at = (nuint)o, end = (nuint)(o + w - 1 - lanes); at <= end; at += (nuint)lanes, j += lanes)
                    {
                        var c = Vector.LoadUnsafe(ref xr, at);
                        Vector<float> dx = Vector.LoadUnsafe(ref xr, at + 1) - c, dy = Vector.LoadUnsafe(ref xr, at + (nuint)w) - c;
                        vmax = Vector.Max(vmax, dx * dx + dy * dy);
                    }

                    for (int l = 0; l < lanes; l++) max = Math.Max(max, vmax[l]);
                }

                for (; j < w; j++) max = Math.Max(max, Square(o, j, i < h - 1));
            }

            return max;
        }

        // dx² + dy² at row offset o, column j (the scalar twin of the vector bodies)
        private float Square(int o, int j, bool inner)
        {
            float dx = j < w - 1 ? x[o + j + 1] - x[o + j] : 0f;
            float dy = inner ? x[o + w + j] - x[o + j] : 0f;
            return dx * dx + dy * dy;
        }

        // the vector body of an inner row (mask and draws at o, x at ox) over the columns j < w - 1 that fill whole
        // vectors; returns the first column left for the scalar tail
        private int RowVectors(int o, int ox, float square)
        {
            int lanes = Vector<float>.Count, j = 0;
            if (w - 1 < lanes) return 0;
            Span<uint> offsets = stackalloc uint[lanes];
            for (int l = 0; l < lanes; l++) offsets[l] = (uint)l;
            var index = new Vector<uint>(offsets) + new Vector<uint>((uint)o);
            Vector<uint> vk0 = new(k0), vk1 = new(k1), vt = new(t), step = new((uint)lanes);
            Vector<float> vsquare = new(square), kept = new(factor);
            ref float xr = ref MemoryMarshal.GetArrayDataReference(x), mr = ref MemoryMarshal.GetArrayDataReference(mask);
            for (nuint at = (nuint)o, ax = (nuint)ox, end = (nuint)(o + w - 1 - lanes); at <= end; at += (nuint)lanes, ax += (nuint)lanes, j += lanes)
            {
                var c = Vector.LoadUnsafe(ref xr, ax);
                Vector<float> dx = Vector.LoadUnsafe(ref xr, ax + 1) - c, dy = Vector.LoadUnsafe(ref xr, ax + (nuint)w) - c;
                var strong = Vector.GreaterThanOrEqual(dx * dx + dy * dy, vsquare);
                var u = Vector.ShiftRightLogical(Bernoulli.MixV(Bernoulli.MixV(index ^ vk0) + vk1), 8);
                var drawn = Vector.ConditionalSelect(Vector.As<uint, float>(Vector.LessThan(u, vt)), kept, Vector<float>.Zero);
                Vector.ConditionalSelect(Vector.As<int, float>(strong), Vector<float>.One, drawn).StoreUnsafe(ref mr, at);
                index += step;
            }

            return j;
        }
    }
}
