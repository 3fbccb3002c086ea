namespace Hush.Engine.Kernels;

/// <summary>
/// Pooling with general windows on [N, C, H, W] planes (PaQ-2-PiQ's ResNet body and RoI head): k×k max-pooling with
/// stride and implicit −∞ padding, RoI max-pooling over one box (torchvision's <c>RoIPool</c>), and global max / mean
/// per plane. Like <see cref="Resample"/>, these are a few comparisons per output, memory-bound: one plain loop per
/// plane is the implementation and its own twin. Maxima remember where they came from (as a float index, exact below
/// 2^24) so the backward pass routes each gradient to one input. Backward kernels ACCUMULATE (+=).
/// </summary>
internal static class Pooling
{
    /// <summary>Output side of a k-window, stride-s, pad-p pooling over n samples (PyTorch, ceil_mode = false).</summary>
    public static int OutputSize(int n, int k, int s, int p) => (n + 2 * p - k) / s + 1;

    // y[pl, oy, ox] = max over x[pl, oy*s − p + i, ox*s − p + j], 0 ≤ i, j < k, inside the plane (padding never wins);
    // arg = (i*k + j) of the first maximum in scan order; NaN counts as the maximum (PyTorch's max_pool2d).
    // x [planes, h, w], y and arg [planes, ho, wo]
    public static void MaxForward(float[] y, float[] arg, float[] x, int planes, int h, int w, int k, int s, int p)
    {
        Par.For(planes, new MaxWindows(y, arg, x, h, w, k, s, p));
    }

    // MaxForward over the planes pl in [p0, p1)
    private readonly struct MaxWindows(float[] y, float[] arg, float[] x, int h, int w, int k, int s, int p) : IRangeBody
    {
        public void Run(int p0, int p1)
        {
            int ho = OutputSize(h, k, s, p), wo = OutputSize(w, k, s, p);
            for (int pl = p0; pl < p1; pl++)
            {
                int xBase = pl * h * w;
                for (int oy = 0; oy < ho; oy++)
                {
                    for (int ox = 0; ox < wo; ox++)
                    {
                        float best = float.NegativeInfinity;
                        int at = -1;
                        for (int i = 0; i < k; i++)
                        {
                            int iy = oy * s - p + i;
                            if ((uint)iy >= (uint)h) continue;
                            for (int j = 0; j < k; j++)
                            {
                                int ix = ox * s - p + j;
                                if ((uint)ix >= (uint)w) continue;
                                float v = x[xBase + iy * w + ix];
                                if (at < 0 || v > best || float.IsNaN(v))
                                {
                                    best = v;
                                    at = i * k + j;
                                }
                            }
                        }

                        int o = (pl * ho + oy) * wo + ox;
                        y[o] = best;
                        arg[o] = at;
                    }
                }
            }
        }
    }

    // dX[pl, oy*s − p + i, ox*s − p + j] += dY[pl, oy, ox] where i*k + j = arg[pl, oy, ox]
    public static void MaxBackward(float[] dX, float[] dY, float[] arg, int planes, int h, int w, int k, int s, int p)
    {
        Par.For(planes, new MaxWindowsGrad(dX, dY, arg, h, w, k, s, p));
    }

    // MaxBackward over the planes pl in [p0, p1)
    private readonly struct MaxWindowsGrad(float[] dX, float[] dY, float[] arg, int h, int w, int k, int s, int p) : IRangeBody
    {
        public void Run(int p0, int p1)
        {
            int ho = OutputSize(h, k, s, p), wo = OutputSize(w, k, s, p);
            for (int pl = p0; pl < p1; pl++)
            {
                for (int oy = 0; oy < ho; oy++)
                {
                    for (int ox = 0; ox < wo; ox++)
                    {
                        int o = (pl * ho + oy) * wo + ox, at = (int)arg[o];
                        dX[pl * h * w + (oy * s - p + at / k) * w + ox * s - p + at % k] += dY[o];
                    }
                }
            }
        }
    }

    /// <summary>The bins of torchvision's RoIPool for one box (x1, y1, x2, y2) in input coordinates: the box is scaled
    /// by <paramref name="scale"/> and rounded (half away from zero) to feature cells, made at least 1×1 (its end cell
    /// included), split into <paramref name="bins"/> bins of equal real size whose cell ranges are floored/ceiled
    /// (so neighbouring bins may share a row), and clipped to the map. Returns per bin [start, end); end ≤ start is an
    /// empty bin (output 0).</summary>
    public static (int Start, int End)[] RoiBins(float lo, float hi, float scale, int bins, int size)
    {
        int start = (int)MathF.Round(lo * scale, MidpointRounding.AwayFromZero);
        int end = (int)MathF.Round(hi * scale, MidpointRounding.AwayFromZero);
        int length = Math.Max(end - start + 1, 1);
        float bin = length / (float)bins;
        var result = new (int, int)[bins];
        for (int b = 0; b < bins; b++)
        {
            int s = (int)MathF.Floor(b * bin), e = (int)MathF.Ceiling((b + 1) * bin);
            result[b] = (Math.Clamp(s + start, 0, size), Math.Clamp(e + start, 0, size));
        }

        return result;
    }

    // y[pl, by, bx] = max of x[pl, rows[by], cols[bx]] (0 for an empty bin; the first maximum in scan order, strict >,
    // as torchvision); arg = its index in the plane, −1 for an empty bin.  x [planes, h, w], y and arg [planes, bh, bw]
    public static void RoiMaxForward(float[] y, float[] arg, float[] x, int planes, int h, int w, (int Start, int End)[] rows, (int Start, int End)[] cols)
    {
        Par.For(planes, new RoiMaxBins(y, arg, x, h, w, rows, cols));
    }

    // RoiMaxForward over the planes pl in [p0, p1)
    private readonly struct RoiMaxBins(float[] y, float[] arg, float[] x, int h, int w, (int Start, int End)[] rows, (int Start, int End)[] cols)
        : IRangeBody
    {
        public void Run(int p0, int p1)
        {
            int bh = rows.Length, bw = cols.Length;
            for (int pl = p0; pl < p1; pl++)
            {
                int xBase = pl * h * w;
                for (int by = 0; by < bh; by++)
                {
                    for (int bx = 0; bx < bw; bx++)
                    {
                        float best = float.MinValue;
                        int at = -1;
                        bool empty = rows[by].End <= rows[by].Start || cols[bx].End <= cols[bx].Start;
                        if (!empty)
                        {
                            for (int iy = rows[by].Start; iy < rows[by].End; iy++)
                            {
                                for (int ix = cols[bx].Start; ix < cols[bx].End; ix++)
                                {
                                    float v = x[xBase + iy * w + ix];
                                    if (v > best)
                                    {
                                        best = v;
                                        at = iy * w + ix;
                                    }
                                }
                            }
                        }

                        int o = (pl * bh + by) * bw + bx;
                        y[o] = empty ? 0f : best;
                        arg[o] = at;
                    }
                }
            }
        }
    }

    // dX[pl, arg] += dY[pl, by, bx] for every non-empty bin
    public static void RoiMaxBackward(float[] dX, float[] dY, float[] arg, int planes, int h, int w, int bins)
    {
        Par.For(planes, new RoiMaxBinsGrad(dX, dY, arg, h, w, bins));
    }

    // RoiMaxBackward over the planes pl in [p0, p1)
    private readonly struct RoiMaxBinsGrad(float[] dX, float[] dY, float[] arg, int h, int w, int bins) : IRangeBody
    {
        public void Run(int p0, int p1)
        {
            for (int pl = p0; pl < p1; pl++)
            {
                for (int b = 0; b < bins; b++)
                {
                    int o = pl * bins + b, at = (int)arg[o];
                    if (at >= 0) dX[pl * h * w + at] += dY[o];
                }
            }
        }
    }

    // y[pl] = max of plane pl (first maximum; NaN counts as the maximum), arg = its index.  x [planes, plane]
    public static void GlobalMaxForward(float[] y, float[] arg, float[] x, int planes, int plane)
    {
        for (int pl = 0; pl < planes; pl++)
        {
            int xBase = pl * plane, at = 0;
            float best = x[xBase];
            for (int i = 1; i < plane; i++)
            {
                float v = x[xBase + i];
                if (v > best || float.IsNaN(v))
                {
                    best = v;
                    at = i;
                }
            }

            y[pl] = best;
            arg[pl] = at;
        }
    }

    // dX[pl, arg[pl]] += dY[pl]
    public static void GlobalMaxBackward(float[] dX, float[] dY, float[] arg, int planes, int plane)
    {
        for (int pl = 0; pl < planes; pl++) dX[pl * plane + (int)arg[pl]] += dY[pl];
    }
}
