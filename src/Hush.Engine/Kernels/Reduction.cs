using System.Numerics;
using System.Numerics.Tensors;

namespace Hush.Engine.Kernels;

/// <summary>
/// Full reductions to one value: Sum, MSE, L1. Deterministic and independent of the thread count:
/// the input is cut into fixed chunks of <see cref="Chunk"/> elements, each chunk is reduced in float,
/// and the chunk partials are added in index order in double.
/// Backward kernels ACCUMULATE (+=).
/// </summary>
internal static class Reduction
{
    public const int Chunk = 16384;

    // returns sum(x[n])
    public static float SumForward(float[] x) =>
        (float)Chunked(x.Length, (s, c) => TensorPrimitives.Sum(x.AsSpan(s, c)));

    // dX[n] += g   (g = dLoss/dSum)
    public static void BroadcastBackward(float[] dX, float g) =>
        Par.Elements(dX.Length, (s, c) => TensorPrimitives.Add(dX.AsSpan(s, c), g, dX.AsSpan(s, c)));

    // returns sum((a[n] - b[n])^2)   (MseLoss divides by n)
    public static double SquaredErrorSum(float[] a, float[] b) =>
        Chunked(a.Length, (s, c) => SquaredDiffSum(a.AsSpan(s, c), b.AsSpan(s, c)));

    // dA[n] += k * (a[n] - b[n]);  dB[n] -= k * (a[n] - b[n])   with k = g * 2 / n; either buffer may be null
    public static void SquaredErrorBackward(float[]? dA, float[]? dB, float[] a, float[] b, float k) =>
        Par.Elements(a.Length, (s, c) =>
        {
            ReadOnlySpan<float> aa = a.AsSpan(s, c), bb = b.AsSpan(s, c);
            Span<float> da = dA is null ? default : dA.AsSpan(s, c), db = dB is null ? default : dB.AsSpan(s, c);
            for (int i = 0; i < aa.Length; i++)
            {
                float d = k * (aa[i] - bb[i]);
                if (dA is not null) da[i] += d;
                if (dB is not null) db[i] -= d;
            }
        });

    // returns sum(|a[n] - b[n]|)   (L1Loss divides by n)
    public static double AbsoluteErrorSum(float[] a, float[] b) =>
        Chunked(a.Length, (s, c) => AbsDiffSum(a.AsSpan(s, c), b.AsSpan(s, c)));

    // dA[n] += k * sign(a[n] - b[n]);  dB[n] -= k * sign(a[n] - b[n])   with k = g / n, sign(0) = 0
    public static void AbsoluteErrorBackward(float[]? dA, float[]? dB, float[] a, float[] b, float k) =>
        Par.Elements(a.Length, (s, c) =>
        {
            ReadOnlySpan<float> aa = a.AsSpan(s, c), bb = b.AsSpan(s, c);
            Span<float> da = dA is null ? default : dA.AsSpan(s, c), db = dB is null ? default : dB.AsSpan(s, c);
            for (int i = 0; i < aa.Length; i++)
            {
                float diff = aa[i] - bb[i];
                float d = diff > 0f ? k : diff < 0f ? -k : 0f;
                if (dA is not null) da[i] += d;
                if (dB is not null) db[i] -= d;
            }
        });

    private static double Chunked(int n, Func<int, int, float> chunkSum)
    {
        int chunks = (n + Chunk - 1) / Chunk;
        var partial = new double[chunks];
        int parts = n < Par.ElementwiseThreshold ? 1 : Threading.MaxThreads;
        Par.For(chunks, parts, (c0, c1) =>
        {
            for (int c = c0; c < c1; c++)
            {
                int s = c * Chunk;
                partial[c] = chunkSum(s, Math.Min(Chunk, n - s));
            }
        });
        double total = 0;
        foreach (double p in partial) total += p;
        return total;
    }

    private static float SquaredDiffSum(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int i = 0;
        float total = 0f;
        if (Vector.IsHardwareAccelerated)
        {
            var acc = Vector<float>.Zero;
            for (; i <= a.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var d = new Vector<float>(a[i..]) - new Vector<float>(b[i..]);
                acc += d * d;
            }

            total = Vector.Sum(acc);
        }

        for (; i < a.Length; i++)
        {
            float d = a[i] - b[i];
            total += d * d;
        }

        return total;
    }

    private static float AbsDiffSum(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int i = 0;
        float total = 0f;
        if (Vector.IsHardwareAccelerated)
        {
            var acc = Vector<float>.Zero;
            for (; i <= a.Length - Vector<float>.Count; i += Vector<float>.Count)
                acc += Vector.Abs(new Vector<float>(a[i..]) - new Vector<float>(b[i..]));
            total = Vector.Sum(acc);
        }

        for (; i < a.Length; i++) total += MathF.Abs(a[i] - b[i]);
        return total;
    }
}
