namespace Hush.Engine.Kernels;

/// <summary>
/// 2×2 max-pooling and nearest-neighbour ×2 up-sampling on [N, C, H, W]. Both are pure data movement (a few
/// comparisons per output), memory-bound, so one plain loop per plane is their implementation and its own twin.
/// </summary>
internal static class Resample
{
    // y[p, i, j] = max(x[p, 2i+a, 2j+b]), a, b ∈ {0, 1}; arg[p, i, j] = 2a + b of the first maximum (scan order).
    // x [planes, h, w], y and arg [planes, h/2, w/2] (floor: an odd last row/column is dropped, as PyTorch does).
    public static void MaxPool2Forward(float[] y, float[] arg, float[] x, int planes, int h, int w)
    {
        Par.For(planes, new MaxPooled(y, arg, x, h, w));
    }

    // MaxPool2Forward over the planes p in [p0, p1)
    private readonly struct MaxPooled(float[] y, float[] arg, float[] x, int h, int w) : IRangeBody
    {
        public void Run(int p0, int p1)
        {
            int ho = h / 2, wo = w / 2;
            for (int p = p0; p < p1; p++)
            {
                for (int i = 0; i < ho; i++)
                {
                    int r0 = (p * h + 2 * i) * w, r1 = r0 + w, o = (p * ho + i) * wo;
                    for (int j = 0; j < wo; j++)
                    {
                        float best = x[r0 + 2 * j];
                        int at = 0;
                        float v = x[r0 + 2 * j + 1];
                        if (v > best || float.IsNaN(v)) { best = v; at = 1; }
                        v = x[r1 + 2 * j];
                        if (v > best || float.IsNaN(v)) { best = v; at = 2; }
                        v = x[r1 + 2 * j + 1];
                        if (v > best || float.IsNaN(v)) { best = v; at = 3; }
                        y[o + j] = best;
                        arg[o + j] = at;
                    }
                }
            }
        }
    }

    // dX[p, 2i + a, 2j + b] += dY[p, i, j] where 2a + b = arg[p, i, j]
    public static void MaxPool2Backward(float[] dX, float[] dY, float[] arg, int planes, int h, int w)
    {
        Par.For(planes, new MaxPooledGrad(dX, dY, arg, h, w));
    }

    // MaxPool2Backward over the planes p in [p0, p1)
    private readonly struct MaxPooledGrad(float[] dX, float[] dY, float[] arg, int h, int w) : IRangeBody
    {
        public void Run(int p0, int p1)
        {
            int ho = h / 2, wo = w / 2;
            for (int p = p0; p < p1; p++)
            {
                for (int i = 0; i < ho; i++)
                {
                    int o = (p * ho + i) * wo;
                    for (int j = 0; j < wo; j++)
                    {
                        int at = (int)arg[o + j];
                        dX[(p * h + 2 * i + (at >> 1)) * w + 2 * j + (at & 1)] += dY[o + j];
                    }
                }
            }
        }
    }

    // y[p, 2i + a, 2j + b] = x[p, i, j];  x [planes, h, w], y [planes, 2h, 2w]
    public static void Upsample2Forward(float[] y, float[] x, int planes, int h, int w)
    {
        Par.For(planes, new Upsampled(y, x, h, w));
    }

    // Upsample2Forward over the planes p in [p0, p1)
    private readonly struct Upsampled(float[] y, float[] x, int h, int w) : IRangeBody
    {
        public void Run(int p0, int p1)
        {
            int wo = 2 * w;
            for (int p = p0; p < p1; p++)
            {
                for (int i = 0; i < h; i++)
                {
                    int src = (p * h + i) * w, dst = (p * 2 * h + 2 * i) * wo;
                    for (int j = 0; j < w; j++)
                    {
                        float v = x[src + j];
                        y[dst + 2 * j] = v;
                        y[dst + 2 * j + 1] = v;
                    }

                    Array.Copy(y, dst, y, dst + wo, wo);
                }
            }
        }
    }

    // dX[p, i, j] += Σ_(a, b) dY[p, 2i + a, 2j + b]
    public static void Upsample2Backward(float[] dX, float[] dY, int planes, int h, int w)
    {
        Par.For(planes, new UpsampledGrad(dX, dY, h, w));
    }

    // Upsample2Backward over the planes p in [p0, p1)
    private readonly struct UpsampledGrad(float[] dX, float[] dY, int h, int w) : IRangeBody
    {
        public void Run(int p0, int p1)
        {
            int wo = 2 * w;
            for (int p = p0; p < p1; p++)
            {
                for (int i = 0; i < h; i++)
                {
                    int dst = (p * h + i) * w, r0 = (p * 2 * h + 2 * i) * wo, r1 = r0 + wo;
                    for (int j = 0; j < w; j++)
                        dX[dst + j] += (dY[r0 + 2 * j] + dY[r0 + 2 * j + 1]) + (dY[r1 + 2 * j] + dY[r1 + 2 * j + 1]);
                }
            }
        }
    }
}
