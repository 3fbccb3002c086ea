using System.Numerics;
using System.Runtime.Intrinsics;

namespace Hush.Denoising.Methods.Bm3d;

/// <summary>The collaborative filtering of one group per stage. A group of n blocks of N×N is held per channel
/// block-major, [n, N²]: the 2-D transform writes each block's coefficients in place, and the Haar transform of the
/// third dimension, the thresholding and the shrinkage run over whole blocks as vectors.</summary>
internal sealed partial class Bm3dFilter
{
    // Groups the blocks matched to (rx, ry), hard-thresholds every channel's 3-D spectrum at λ·σ_c and aggregates the
    // blocks with weight 1 / (σ_c² · retained coefficients) (1 when none is retained). Returns the coefficients
    // retained over all channels.
    private int ThresholdGroup(Workspace ws, float[] noisy, float[] match, int rx, int ry)
    {
        int nn = ws.Transform.N * ws.Transform.N, plane = _w * _h;
        int n = ws.Matcher.Match(match, _w, _h, rx, ry, ws.Found);
        int retainedAll = 0;
        for (int c = 0; c < _c; c++)
        {
            var group = ws.Group.AsSpan(0, nn * n);
            Gather(ws, noisy.AsSpan(c * plane, plane), group, n);
            int retained = HardThreshold(group, _p.Lambda3D * _sigma[c]);
            retainedAll += retained;
            float weight = retained > 0 ? 1f / (_sigma[c] * _sigma[c] * retained) : 1f;
            Scatter(ws, group, n, c, weight);
        }
        return retainedAll;
    }

    // Groups the blocks matched to (rx, ry) on the basic estimate and shrinks each noisy coefficient by the gain
    // |B|² / (|B|² + σ_c²) of the basic estimate's coefficient B; weight 1 / (σ_c² · Σ gain²).
    private void WienerGroup(Workspace ws, float[] noisy, float[] basic, float[] match, int rx, int ry)
    {
        int nn = ws.Transform.N * ws.Transform.N, plane = _w * _h;
        int n = ws.Matcher.Match(match, _w, _h, rx, ry, ws.Found);
        for (int c = 0; c < _c; c++)
        {
            var group = ws.Group.AsSpan(0, nn * n);
            var pilot = ws.Pilot.AsSpan(0, nn * n);
            Gather(ws, noisy.AsSpan(c * plane, plane), group, n);
            Gather(ws, basic.AsSpan(c * plane, plane), pilot, n);
            float s2 = _sigma[c] * _sigma[c];
            double gains = Shrink(group, pilot, s2);
            float weight = gains > 0 ? (float)(1.0 / (s2 * gains)) : 1f;
            Scatter(ws, group, n, c, weight);
        }
    }

    /// <summary>Zeroes every |x| ≤ threshold; returns how many are kept.</summary>
    internal static int HardThreshold(Span<float> x, float threshold)
    {
        int kept = 0, i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var t = Vector256.Create(threshold);
            for (; i + 8 <= x.Length; i += 8)
            {
                var v = Vector256.Create((ReadOnlySpan<float>)x.Slice(i, 8));
                var keep = Vector256.GreaterThan(Vector256.Abs(v), t);
                kept += BitOperations.PopCount(keep.ExtractMostSignificantBits());
                (v & keep).CopyTo(x.Slice(i, 8));
            }
        }
        for (; i < x.Length; i++)
        {
            if (Math.Abs(x[i]) > threshold) kept++;
            else x[i] = 0f;
        }
        return kept;
    }

    /// <summary>x ← x · g with g = p² / (p² + s2) elementwise; returns Σ g².</summary>
    internal static double Shrink(Span<float> x, ReadOnlySpan<float> pilot, float s2)
    {
        int i = 0;
        double total = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var vs2 = Vector256.Create(s2);
            var acc = Vector256<float>.Zero;
            for (; i + 8 <= x.Length; i += 8)
            {
                var p = Vector256.Create(pilot.Slice(i, 8));
                var e = p * p;
                var gain = e / (e + vs2);
                (Vector256.Create((ReadOnlySpan<float>)x.Slice(i, 8)) * gain).CopyTo(x.Slice(i, 8));
                acc += gain * gain;
            }
            total = Vector256.Sum(acc);
        }
        for (; i < x.Length; i++)
        {
            float e = pilot[i] * pilot[i];
            float gain = e / (e + s2);
            x[i] *= gain;
            total += gain * gain;
        }
        return total;
    }

    // group [n, N²] = the 3-D transform (2-D per block, then Haar along the group) of the n found blocks of plane.
    private void Gather(Workspace ws, ReadOnlySpan<float> plane, Span<float> group, int n)
    {
        var t = ws.Transform;
        int nn = t.N * t.N;
        for (int j = 0; j < n; j++) t.Forward(plane[ws.Found[j]..], _w, group.Slice(j * nn, nn), ws.Tmp);
        if (n > 1) GroupHaar.ForwardBlocks(group, n, nn, ws.HaarTmp);
    }

    // Inverts the 3-D transform of group and adds each block, times weight × the Kaiser window, to channel c of the
    // worker's numerator (the weights to its denominator).
    private void Scatter(Workspace ws, Span<float> group, int n, int c, float weight)
    {
        var t = ws.Transform;
        int size = t.N, nn = size * size, planeStart = c * _w * _h;
        if (n > 1) GroupHaar.InverseBlocks(group, n, nn, ws.HaarTmp);
        var kw = ws.WeightedWindow.AsSpan(0, nn);
        for (int k = 0; k < nn; k++) kw[k] = weight * t.Window[k];
        for (int j = 0; j < n; j++)
        {
            t.Inverse(group.Slice(j * nn, nn), ws.Block, ws.Tmp);
            int origin = planeStart + ws.Found[j];
            for (int r = 0; r < size; r++)
            {
                var num = ws.Numerator.AsSpan(origin + r * _w, size);
                var den = ws.Denominator.AsSpan(origin + r * _w, size);
                var b = ws.Block.AsSpan(r * size, size);
                var k = kw.Slice(r * size, size);
                if (size == 8 && Vector256.IsHardwareAccelerated)
                {
                    var vk = Vector256.Create((ReadOnlySpan<float>)k);
                    (Vector256.Create((ReadOnlySpan<float>)num) + vk * Vector256.Create((ReadOnlySpan<float>)b)).CopyTo(num);
                    (Vector256.Create((ReadOnlySpan<float>)den) + vk).CopyTo(den);
                    continue;
                }
                for (int q = 0; q < size; q++)
                {
                    num[q] += k[q] * b[q];
                    den[q] += k[q];
                }
            }
        }
    }
}
