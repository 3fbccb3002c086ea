namespace Hush.Denoising.Methods.Bm3d;

/// <summary>The collaborative filtering of one group per stage. A group of n blocks of N×N is held per channel as
/// [N², n]: the 2-D coefficients of each block down a column, so the 1-D Haar transform of the third dimension runs
/// along contiguous rows.</summary>
internal sealed partial class Bm3dFilter
{
    // Groups the blocks matched to (rx, ry), hard-thresholds every channel's 3-D spectrum at λ·σ_c and aggregates the
    // blocks with weight 1 / (σ_c² · retained coefficients) (1 when none is retained). Returns the coefficients
    // retained over all channels.
    private int ThresholdGroup(Workspace ws, float[] noisy, float[] match, int rx, int ry)
    {
        var t = ws.Transform;
        int nn = t.N * t.N, plane = _w * _h;
        int n = ws.Matcher.Match(match, _w, _h, rx, ry, ws.Found);
        int retainedAll = 0;
        for (int c = 0; c < _c; c++)
        {
            var group = ws.Group.AsSpan(0, nn * n);
            Gather(ws, noisy.AsSpan(c * plane, plane), group, n);
            float threshold = _p.Lambda3D * _sigma[c];
            int retained = 0;
            for (int i = 0; i < group.Length; i++)
            {
                if (Math.Abs(group[i]) > threshold) retained++;
                else group[i] = 0f;
            }
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
        var t = ws.Transform;
        int nn = t.N * t.N, plane = _w * _h;
        int n = ws.Matcher.Match(match, _w, _h, rx, ry, ws.Found);
        for (int c = 0; c < _c; c++)
        {
            var group = ws.Group.AsSpan(0, nn * n);
            var pilot = ws.Pilot.AsSpan(0, nn * n);
            Gather(ws, noisy.AsSpan(c * plane, plane), group, n);
            Gather(ws, basic.AsSpan(c * plane, plane), pilot, n);
            float s2 = _sigma[c] * _sigma[c];
            double gains = 0;
            for (int i = 0; i < group.Length; i++)
            {
                float e = pilot[i] * pilot[i];
                float gain = e / (e + s2);
                group[i] *= gain;
                gains += gain * gain;
            }
            float weight = gains > 0 ? (float)(1.0 / (s2 * gains)) : 1f;
            Scatter(ws, group, n, c, weight);
        }
    }

    // group [N², n] = the 3-D transform (2-D per block, then Haar along the group) of the n found blocks of plane.
    private void Gather(Workspace ws, ReadOnlySpan<float> plane, Span<float> group, int n)
    {
        var t = ws.Transform;
        int nn = t.N * t.N;
        for (int j = 0; j < n; j++)
        {
            t.Forward(plane[ws.Found[j]..], _w, ws.Coef, ws.Tmp);
            for (int k = 0; k < nn; k++) group[k * n + j] = ws.Coef[k];
        }
        if (n > 1)
            for (int k = 0; k < nn; k++) GroupHaar.Forward(group.Slice(k * n, n), ws.HaarTmp);
    }

    // Inverts the 3-D transform of group and adds each block, times weight × the Kaiser window, to channel c of the
    // worker's numerator (the weights to its denominator).
    private void Scatter(Workspace ws, Span<float> group, int n, int c, float weight)
    {
        var t = ws.Transform;
        int size = t.N, nn = size * size, planeStart = c * _w * _h;
        if (n > 1)
            for (int k = 0; k < nn; k++) GroupHaar.Inverse(group.Slice(k * n, n), ws.HaarTmp);
        var window = t.Window;
        for (int j = 0; j < n; j++)
        {
            for (int k = 0; k < nn; k++) ws.Coef[k] = group[k * n + j];
            t.Inverse(ws.Coef, ws.Block, ws.Tmp);
            int origin = planeStart + ws.Found[j];
            for (int r = 0; r < size; r++)
            {
                var num = ws.Numerator.AsSpan(origin + r * _w, size);
                var den = ws.Denominator.AsSpan(origin + r * _w, size);
                for (int q = 0; q < size; q++)
                {
                    float kw = weight * window[r * size + q];
                    num[q] += kw * ws.Block[r * size + q];
                    den[q] += kw;
                }
            }
        }
    }
}
