using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Hush.Engine.Kernels;

/// <summary>
/// 2×2 max-pooling and nearest-neighbour ×2 up-sampling on [N, C, H, W]. Both are pure data movement (a few
/// comparisons per output), memory-bound. Max-pooling compares whole vectors of windows on AVX-512 and AVX2 (a scalar
/// loop of data-dependent branches mispredicts on every other window), with <see cref="MaxPoolScalar"/> as its twin
/// and tail; the rest is one plain loop per plane, its own twin.
/// </summary>
internal static class Resample
{
    // y[p, i, j] = max(x[p, 2i+a, 2j+b]), a, b ∈ {0, 1}; arg[p, i, j] = 2a + b of the first maximum (scan order).
    // x [planes, h, w], y and arg [planes, h/2, w/2] (floor: an odd last row/column is dropped, as PyTorch does).
    public static void MaxPool2Forward(float[] y, float[] arg, float[] x, int planes, int h, int w)
    {
        Par.For(planes, new MaxPooled(y, arg, x, h, w));
    }

    // MaxPool2Forward over the planes p in [p0, p1): a vector of outputs at a time where the rows are long enough (the
    // windows' left and right columns split out of two loaded vectors by permutes), the rest by the scalar rule.
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
                    int j = MaxPoolVectors(y, arg, x, r0, r1, o, wo);
                    MaxPoolScalar(y, arg, x, r0, r1, o, j, wo);
                }
            }
        }
    }

    // The scalar rule for outputs j in [j0, wo) of one output row: the first maximum in scan order, NaN counting as one.
    internal static void MaxPoolScalar(float[] y, float[] arg, float[] x, int r0, int r1, int o, int j0, int wo)
    {
        for (int j = j0; j < wo; j++)
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

    private static readonly Vector512<int> EvenLanes = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    private static readonly Vector512<int> OddLanes = Vector512.Create(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);

    // The same rule as MaxPoolScalar on whole vectors of outputs (16 with AVX-512, 8 with AVX2) from j = 0; returns the
    // first output it did not produce.
    private static unsafe int MaxPoolVectors(float[] y, float[] arg, float[] x, int r0, int r1, int o, int wo)
    {
        int j = 0;
        fixed (float* px = x, py = y, pa = arg)
        {
            if (Avx512F.IsSupported)
            {
                for (; j + 16 <= wo; j += 16)
                {
                    Vector512<float> a0 = Vector512.Load(px + r0 + 2 * j), b0 = Vector512.Load(px + r0 + 2 * j + 16);
                    Vector512<float> a1 = Vector512.Load(px + r1 + 2 * j), b1 = Vector512.Load(px + r1 + 2 * j + 16);
                    Vector512<float> best = Avx512F.PermuteVar16x32x2(a0, EvenLanes, b0), at = Vector512<float>.Zero;
                    Take(ref best, ref at, Avx512F.PermuteVar16x32x2(a0, OddLanes, b0), 1f);
                    Take(ref best, ref at, Avx512F.PermuteVar16x32x2(a1, EvenLanes, b1), 2f);
                    Take(ref best, ref at, Avx512F.PermuteVar16x32x2(a1, OddLanes, b1), 3f);
                    best.Store(py + o + j);
                    at.Store(pa + o + j);
                }
            }
            else if (Avx2.IsSupported)
            {
                for (; j + 8 <= wo; j += 8)
                {
                    Vector256<float> a0 = Vector256.Load(px + r0 + 2 * j), b0 = Vector256.Load(px + r0 + 2 * j + 8);
                    Vector256<float> a1 = Vector256.Load(px + r1 + 2 * j), b1 = Vector256.Load(px + r1 + 2 * j + 8);
                    Vector256<float> best = Even(a0, b0), at = Vector256<float>.Zero;
                    Take(ref best, ref at, Odd(a0, b0), 1f);
                    Take(ref best, ref at, Even(a1, b1), 2f);
                    Take(ref best, ref at, Odd(a1, b1), 3f);
                    best.Store(py + o + j);
                    at.Store(pa + o + j);
                }
            }
        }

        return j;
    }

    // The even or odd elements of a then b, in order: shuffled within 128-bit lanes, then the 64-bit pairs put in order.
    private static Vector256<float> Even(Vector256<float> a, Vector256<float> b) =>
        Avx2.Permute4x64(Avx.Shuffle(a, b, 0x88).AsDouble(), 0b11_01_10_00).AsSingle();

    private static Vector256<float> Odd(Vector256<float> a, Vector256<float> b) =>
        Avx2.Permute4x64(Avx.Shuffle(a, b, 0xDD).AsDouble(), 0b11_01_10_00).AsSingle();

    // best, at = v, k where v > best or v is NaN (the scalar rule, lane by lane)
    private static void Take(ref Vector512<float> best, ref Vector512<float> at, Vector512<float> v, float k)
    {
        Vector512<float> take = Vector512.GreaterThan(v, best) | ~Vector512.Equals(v, v);
        best = Vector512.ConditionalSelect(take, v, best);
        at = Vector512.ConditionalSelect(take, Vector512.Create(k), at);
    }

    private static void Take(ref Vector256<float> best, ref Vector256<float> at, Vector256<float> v, float k)
    {
        Vector256<float> take = Vector256.GreaterThan(v, best) | ~Vector256.Equals(v, v);
        best = Vector256.ConditionalSelect(take, v, best);
        at = Vector256.ConditionalSelect(take, Vector256.Create(k), at);
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
