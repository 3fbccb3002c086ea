namespace Hush.Engine.Kernels;

/// <summary>
/// Border padding of [N, C, H, W] planes by index mapping (pure data movement: one plain loop per plane is the
/// implementation and its own twin, as in <see cref="Resample"/>). Zero pads with 0; Reflect mirrors about the edge
/// sample (PyTorch 'reflect': [a b c] → b | a b c | b); Symmetric mirrors about the edge itself ('symmetric' /
/// numpy, [a b c] → a | a b c | c). Pads wider than the plane keep mirroring (period 2(n−1) resp. 2n), which agrees
/// with PyTorch wherever PyTorch is defined (pad &lt; n).
/// </summary>
internal static class Pad
{
    /// <summary>Source index of padded coordinate <paramref name="i"/> (−pad ≤ i &lt; n + pad), or −1 for a zero.</summary>
    public static int Source(int i, int n, PadMode mode)
    {
        if (i >= 0 && i < n) return i;
        switch (mode)
        {
            case PadMode.Reflect:
                if (n == 1) return 0;
                int period = 2 * (n - 1), r = ((i % period) + period) % period;
                return r < n ? r : period - r;
            case PadMode.Symmetric:
                int p2 = 2 * n, s = ((i % p2) + p2) % p2;
                return s < n ? s : p2 - 1 - s;
            default:
                return -1;
        }
    }

    // y[p, i, j] = x[p, src(i − top), src(j − left)] (0 where a source is −1).
    // x [planes, h, w], y [planes, h + top + bottom, w + left + right]
    public static void Forward(float[] y, float[] x, int planes, int h, int w, int top, int bottom, int left, int right, PadMode mode)
    {
        int ho = h + top + bottom, wo = w + left + right;
        int[] rows = Map(ref _rows, ho, top, h, mode), cols = Map(ref _cols, wo, left, w, mode);
        Par.For(planes, new Padded(y, x, rows, cols, h, w, ho, wo, left));
    }

    // Forward over the planes p in [p0, p1)
    private readonly struct Padded(float[] y, float[] x, int[] rows, int[] cols, int h, int w, int ho, int wo, int left) : IRangeBody
    {
        public void Run(int p0, int p1)
        {
            for (int p = p0; p < p1; p++)
            {
                for (int i = 0; i < ho; i++)
                {
                    int dst = (p * ho + i) * wo;
                    if (rows[i] < 0)
                    {
                        Array.Clear(y, dst, wo);
                        continue;
                    }

                    int src = (p * h + rows[i]) * w;
                    for (int j = 0; j < left; j++) y[dst + j] = cols[j] < 0 ? 0f : x[src + cols[j]];
                    Array.Copy(x, src, y, dst + left, w);
                    for (int j = left + w; j < wo; j++) y[dst + j] = cols[j] < 0 ? 0f : x[src + cols[j]];
                }
            }
        }
    }

    // dX[p, src(i), src(j)] += dY[p, i, j]  (each plane is summed by one thread, in scan order)
    public static void Backward(float[] dX, float[] dY, int planes, int h, int w, int top, int bottom, int left, int right, PadMode mode)
    {
        int ho = h + top + bottom, wo = w + left + right;
        int[] rows = Map(ref _rows, ho, top, h, mode), cols = Map(ref _cols, wo, left, w, mode);
        Par.For(planes, new PaddedGrad(dX, dY, rows, cols, h, w, ho, wo, left));
    }

    // Backward over the planes p in [p0, p1)
    private readonly struct PaddedGrad(float[] dX, float[] dY, int[] rows, int[] cols, int h, int w, int ho, int wo, int left) : IRangeBody
    {
        public void Run(int p0, int p1)
        {
            for (int p = p0; p < p1; p++)
            {
                for (int i = 0; i < ho; i++)
                {
                    if (rows[i] < 0) continue;
                    int src = (p * ho + i) * wo, dst = (p * h + rows[i]) * w;
                    // Scan order kept: left border, the interior (one vector add), right border.
                    for (int j = 0; j < left; j++)
                    {
                        if (cols[j] >= 0) dX[dst + cols[j]] += dY[src + j];
                    }

                    var interior = dX.AsSpan(dst, w);
                    System.Numerics.Tensors.TensorPrimitives.Add(interior, dY.AsSpan(src + left, w), interior);
                    for (int j = left + w; j < wo; j++)
                    {
                        if (cols[j] >= 0) dX[dst + cols[j]] += dY[src + j];
                    }
                }
            }
        }
    }

    // The calling thread's index maps, grown as needed and never given back: a padded convolution maps twice per pass,
    // and new maps were most of what a Self2Self+ step allocated (ArrayPool's arrays go back to the GC when a full
    // collection trims the pool, so a step under memory pressure would allocate them again).
    [ThreadStatic] private static int[]? _rows, _cols;

    // The source index of each of the `length` padded coordinates, in `cache` (at least that long).
    public static int[] Map(ref int[]? cache, int length, int before, int n, PadMode mode)
    {
        var m = cache is { } c && c.Length >= length ? c : cache = new int[length];
        for (int i = 0; i < length; i++) m[i] = Source(i - before, n, mode);
        return m;
    }
}
