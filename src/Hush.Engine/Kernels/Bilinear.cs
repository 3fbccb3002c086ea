namespace Hush.Engine.Kernels;

/// <summary>
/// Bilinear ×2 up-sampling of [N, C, H, W] with PyTorch's align_corners=false rule: output index o reads the source
/// position s = max(0, (o + ½)/2 − ½) between i0 = ⌊s⌋ and i1 = min(i0 + 1, n − 1), weights (1 − λ, λ), λ = s − i0.
/// For ×2 that is 0.25/0.75 taps, the first output row/column copying the edge. Memory-bound data movement: one plain
/// loop per plane is the implementation and its own twin (the tests check it against the formula in double).
/// </summary>
internal static class Bilinear
{
    // Per output index: the two source indices and their weights.
    internal readonly record struct Tap(int I0, int I1, float L0, float L1);

    // The taps of each side length, made once and shared read-only (a training step computes none).
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, Tap[]> TapsBySide = new();

    internal static Tap[] Taps(int n) => TapsBySide.GetOrAdd(n, MakeTaps);

    private static Tap[] MakeTaps(int n)
    {
        var taps = new Tap[2 * n];
        for (int o = 0; o < 2 * n; o++)
        {
            float s = Math.Max(0f, (o + 0.5f) * 0.5f - 0.5f);
            int i0 = Math.Min((int)s, n - 1);
            int i1 = i0 < n - 1 ? i0 + 1 : i0;
            float l1 = s - i0;
            taps[o] = new Tap(i0, i1, 1f - l1, l1);
        }

        return taps;
    }

    // y[p, a, b] = Σ row(a) × col(b) × x[p, ·, ·];  x [planes, h, w], y [planes, 2h, 2w]
    public static void Upsample2Forward(float[] y, float[] x, int planes, int h, int w)
    {
        Tap[] rows = Taps(h), cols = Taps(w);
        Par.For(planes, new Upsampled(y, x, rows, cols, h, w));
    }

    // Upsample2Forward over the planes p in [p0, p1)
    private readonly struct Upsampled(float[] y, float[] x, Tap[] rows, Tap[] cols, int h, int w) : IRangeBody
    {
        public void Run(int p0, int p1)
        {
            int ho = 2 * h, wo = 2 * w;
            for (int p = p0; p < p1; p++)
            {
                int px = p * h * w, py = p * ho * wo;
                for (int a = 0; a < ho; a++)
                {
                    Tap r = rows[a];
                    int x0 = px + r.I0 * w, x1 = px + r.I1 * w, dst = py + a * wo;
                    for (int b = 0; b < wo; b++)
                    {
                        Tap c = cols[b];
                        y[dst + b] = r.L0 * (c.L0 * x[x0 + c.I0] + c.L1 * x[x0 + c.I1])
                                   + r.L1 * (c.L0 * x[x1 + c.I0] + c.L1 * x[x1 + c.I1]);
                    }
                }
            }
        }
    }

    // dX[p, i, j] += Σ over the outputs that read (i, j) of their weight × dY  (one thread per plane, scan order)
    public static void Upsample2Backward(float[] dX, float[] dY, int planes, int h, int w)
    {
        Tap[] rows = Taps(h), cols = Taps(w);
        Par.For(planes, new UpsampledGrad(dX, dY, rows, cols, h, w));
    }

    // Upsample2Backward over the planes p in [p0, p1)
    private readonly struct UpsampledGrad(float[] dX, float[] dY, Tap[] rows, Tap[] cols, int h, int w) : IRangeBody
    {
        public void Run(int p0, int p1)
        {
            int ho = 2 * h, wo = 2 * w;
            for (int p = p0; p < p1; p++)
            {
                int px = p * h * w, py = p * ho * wo;
                for (int a = 0; a < ho; a++)
                {
                    Tap r = rows[a];
                    int x0 = px + r.I0 * w, x1 = px + r.I1 * w, src = py + a * wo;
                    for (int b = 0; b < wo; b++)
                    {
                        Tap c = cols[b];
                        float g = dY[src + b], g0 = r.L0 * g, g1 = r.L1 * g;
                        dX[x0 + c.I0] += g0 * c.L0;
                        dX[x0 + c.I1] += g0 * c.L1;
                        dX[x1 + c.I0] += g1 * c.L0;
                        dX[x1 + c.I1] += g1 * c.L1;
                    }
                }
            }
        }
    }
}
