using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Hush.Denoising.Methods.Bm3d;

/// <summary>Block matching of one stage: for a reference block, the blocks of its search window nearest to it in squared
/// distance, below the stage's threshold. One per worker (it keeps the candidates of the current search); no
/// allocation per search.</summary>
internal sealed class BlockMatcher
{
    private readonly int _n, _maxGroup, _half;
    private readonly float _threshold;
    private readonly float[] _dist;
    private readonly int[] _pos;

    public BlockMatcher(Bm3dStage stage)
    {
        _n = stage.Block;
        _maxGroup = stage.MaxGroup;
        _half = (stage.Window - 1) / 2;
        // The reference code compares the distance per pixel (0–255 scale) with τ; here sums are compared with τ·N².
        _threshold = stage.MatchThreshold * _n * _n;
        _dist = new float[_maxGroup];
        _pos = new int[_maxGroup];
    }

    /// <summary>Writes to <paramref name="found"/> the offsets (y·w + x) of the blocks of <paramref name="plane"/> [h, w]
    /// nearest to the one at (rx, ry) within the search window, nearest first (ties in scan order), the reference
    /// itself first; returns their count rounded down to a power of two (the group transform needs one).</summary>
    public int Match(ReadOnlySpan<float> plane, int w, int h, int rx, int ry, Span<int> found)
    {
        int n = _n, refOffset = ry * w + rx, count = 1;
        _dist[0] = 0f;
        _pos[0] = refOffset;
        int y0 = Math.Max(0, ry - _half), y1 = Math.Min(h - n, ry + _half);
        int x0 = Math.Max(0, rx - _half), x1 = Math.Min(w - n, rx + _half);
        ref float origin = ref MemoryMarshal.GetReference(plane);
        ref float reference = ref Unsafe.Add(ref origin, refOffset);
        for (int y = y0; y <= y1; y++)
        for (int x = x0; x <= x1; x++)
        {
            int offset = y * w + x;
            if (offset == refOffset) continue;
            float bound = count == _maxGroup ? _dist[_maxGroup - 1] : _threshold;
            float d = Distance(ref reference, ref Unsafe.Add(ref origin, offset), w, n, bound);
            if (d >= bound) continue;
            int i = count == _maxGroup ? _maxGroup - 1 : count++;
            for (; i > 0 && _dist[i - 1] > d; i--)
            {
                _dist[i] = _dist[i - 1];
                _pos[i] = _pos[i - 1];
            }
            _dist[i] = d;
            _pos[i] = offset;
        }

        int kept = GroupHaar.FloorPowerOfTwo(count);
        _pos.AsSpan(0, kept).CopyTo(found);
        return kept;
    }

    /// <summary>Σ (a − b)² over an n×n block at row stride <paramref name="stride"/>; once the partial sum reaches
    /// <paramref name="bound"/> it may stop and return any value ≥ bound.</summary>
    internal static float Distance(ref float a, ref float b, int stride, int n, float bound)
    {
        if (!Vector256.IsHardwareAccelerated || n < 8) return DistanceScalar(ref a, ref b, stride, n, bound);
        var acc = Vector256<float>.Zero;
        float tail = 0f;
        for (int r = 0; r < n; r++)
        {
            ref float ra = ref Unsafe.Add(ref a, r * stride);
            ref float rb = ref Unsafe.Add(ref b, r * stride);
            var diff = Vector256.LoadUnsafe(ref ra) - Vector256.LoadUnsafe(ref rb);
            acc += diff * diff;
            for (int j = 8; j < n; j++)
            {
                float e = Unsafe.Add(ref ra, j) - Unsafe.Add(ref rb, j);
                tail += e * e;
            }
            if ((r & 3) == 3 && Vector256.Sum(acc) + tail >= bound) return bound;
        }
        return Vector256.Sum(acc) + tail;
    }

    /// <summary>The scalar twin of <see cref="Distance"/> (and its path on machines without 256-bit vectors).</summary>
    internal static float DistanceScalar(ref float a, ref float b, int stride, int n, float bound)
    {
        float sum = 0f;
        for (int r = 0; r < n; r++)
        {
            for (int j = 0; j < n; j++)
            {
                float e = Unsafe.Add(ref a, r * stride + j) - Unsafe.Add(ref b, r * stride + j);
                sum += e * e;
            }
            if ((r & 3) == 3 && sum >= bound) return bound;
        }
        return sum;
    }
}
