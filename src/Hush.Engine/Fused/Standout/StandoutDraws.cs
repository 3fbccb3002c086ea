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
            Vector<int> last = LastColumnCleared();
            Vector<uint> lanesUp = Vector<uint>.Indices;
            for (int p = p0; p < p1; p++)
            {
                float limit = threshold;
                if (relative)
                {
                    float max = MathF.Sqrt(LargestSquare((xFirst + p) * h * w, last));
                    limit = max > 0f ? threshold * max : float.PositiveInfinity;
                }

                float square = SquareLimit(limit);
                for (int i = 0; i < h; i++)
                {
                    int o = ((maskFirst + p) * h + i) * w, ox = ((xFirst + p) * h + i) * w;
                    int j = i < h - 1 && Vector.IsHardwareAccelerated ? RowVectors(o, ox, square, lanesUp, last) : 0;
                    for (; j < w; j++)
                        mask[o + j] = Square(ox, j, i < h - 1) >= square ? 1f : Bernoulli.Uniform24((uint)(o + j), k0, k1) < t ? factor : 0f;
                }
            }
        }

        // max of dx² + dy² over the plane at o (NaN when any is NaN; last: LastColumnCleared). One vector maximum for the whole plane, reduced at
        // its end: the squares are never −0, so MaxNative (no NaN or signed-zero fix-ups) gives Math.Max's value once
        // NaNs are tracked beside it; the loop-carried fix-ups of Vector.Max made this pass cost as much as the draws.
        private float LargestSquare(int o, Vector<int> last)
        {
            int lanes = Vector<float>.Count;
            ref float xr = ref MemoryMarshal.GetArrayDataReference(x);
            float max = 0f;
            var vmax = Vector<float>.Zero;
            var nan = Vector<int>.Zero;
            for (int i = 0; i < h; i++, o += w)
            {
                int j = 0;
                if (i < h - 1 && Vector.IsHardwareAccelerated && w >= lanes)
                {
                    // whole vectors whose right neighbours lie in the row, then the row's last vector when it ends the row
                    for (; j + lanes <= w - 1; j += lanes) Track(InnerSquares(ref xr, (nuint)(o + j), w), ref vmax, ref nan);
                    if (j + lanes == w)
                    {
                        Track(LastSquares(ref xr, (nuint)(o + j), w, last), ref vmax, ref nan);
                        j = w;
                    }
                }

                for (; j < w; j++) max = Math.Max(max, Square(o, j, i < h - 1));
            }

            for (int l = 0; l < lanes; l++) max = Math.Max(max, vmax[l]);
            return nan == Vector<int>.Zero ? max : float.NaN;
        }

        private static void Track(Vector<float> s, ref Vector<float> vmax, ref Vector<int> nan)
        {
            vmax = Vector.MaxNative(vmax, s);
            nan |= ~Vector.Equals(s, s);
        }

        // dx² + dy² of the lanes at x[at…] of an inner row (the next row exists) whose right neighbours lie in the row
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        private static Vector<float> InnerSquares(ref float xr, nuint at, int w)
        {
            var c = Vector.LoadUnsafe(ref xr, at);
            Vector<float> dx = Vector.LoadUnsafe(ref xr, at + 1) - c, dy = Vector.LoadUnsafe(ref xr, at + (nuint)w) - c;
            return dx * dx + dy * dy;
        }

        // the same for the vector that ends its row: the last lane has no right neighbour, and its dx is 0 as in the
        // scalar twin (the value read there is the next row's first, never used)
        private static Vector<float> LastSquares(ref float xr, nuint at, int w, Vector<int> last)
        {
            var c = Vector.LoadUnsafe(ref xr, at);
            Vector<float> dx = Vector.ConditionalSelect(last, Vector.LoadUnsafe(ref xr, at + 1) - c, Vector<float>.Zero);
            Vector<float> dy = Vector.LoadUnsafe(ref xr, at + (nuint)w) - c;
            return dx * dx + dy * dy;
        }

        // all lanes set but the last: the dx mask of a vector that ends its row
        private static Vector<int> LastColumnCleared()
        {
            Span<int> lanes = stackalloc int[Vector<int>.Count];
            lanes.Fill(-1);
            lanes[^1] = 0;
            return new Vector<int>(lanes);
        }

        // dx² + dy² at row offset o, column j (the scalar twin of the vector bodies)
        private float Square(int o, int j, bool inner)
        {
            float dx = j < w - 1 ? x[o + j + 1] - x[o + j] : 0f;
            float dy = inner ? x[o + w + j] - x[o + j] : 0f;
            return dx * dx + dy * dy;
        }

        // the vector body of an inner row (mask and draws at o, x at ox): whole vectors, the row's last one included when
        // the row is a whole number of vectors; returns the first column left for the scalar tail
        // (lanesUp: 0, 1, 2, … per lane; last: LastColumnCleared, both made once per call)
        private int RowVectors(int o, int ox, float square, Vector<uint> lanesUp, Vector<int> last)
        {
            int lanes = Vector<float>.Count, j = 0;
            if (w < lanes) return 0;
            var index = lanesUp + new Vector<uint>((uint)o);
            Vector<uint> vk0 = new(k0), vk1 = new(k1), step = new((uint)lanes);
            Vector<int> vt = new((int)Math.Min(t, 1u << 24)); // the draws are below 2^24: a signed compare is the same
            Vector<float> vsquare = new(square), kept = new(factor);
            ref float xr = ref MemoryMarshal.GetArrayDataReference(x), mr = ref MemoryMarshal.GetArrayDataReference(mask);
            for (; j + lanes <= w - 1; j += lanes, index += step)
                Draw(InnerSquares(ref xr, (nuint)(ox + j), w), vsquare, index, vk0, vk1, vt, kept, ref mr, (nuint)(o + j));
            if (j + lanes == w)
            {
                Draw(LastSquares(ref xr, (nuint)(ox + j), w, last), vsquare, index, vk0, vk1, vt, kept, ref mr, (nuint)(o + j));
                j = w;
            }

            return j;
        }

        // mask[at…] = 1 where the square reaches the limit, else the Bernoulli draw of each element index
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        private static void Draw(Vector<float> squares, Vector<float> limit, Vector<uint> index, Vector<uint> k0, Vector<uint> k1,
            Vector<int> t, Vector<float> kept, ref float mr, nuint at)
        {
            var strong = Vector.GreaterThanOrEqual(squares, limit);
            var u = Vector.AsVectorInt32(Vector.ShiftRightLogical(Bernoulli.MixV(Bernoulli.MixV(index ^ k0) + k1), 8));
            var drawn = Vector.ConditionalSelect(Vector.As<int, float>(Vector.LessThan(u, t)), kept, Vector<float>.Zero);
            Vector.ConditionalSelect(Vector.As<int, float>(strong), Vector<float>.One, drawn).StoreUnsafe(ref mr, at);
        }
    }
}
