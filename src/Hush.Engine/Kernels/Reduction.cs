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
    public static float SumForward(float[] x) => (float)Chunked<Sum>(x, x);

    private readonly struct Sum : IChunkSum
    {
        public static float Of(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => TensorPrimitives.Sum(a);
    }

    // dX[n] += g   (g = dLoss/dSum)
    public static void BroadcastBackward(float[] dX, float g) => Par.Elements(dX.Length, new SpanJob<Broadcast>(dX, dX, null, g, 0f));

    private readonly struct Broadcast : ISpanKernel
    {
        public static void Apply(Span<float> dx, ReadOnlySpan<float> a, ReadOnlySpan<float> b, float g, float k2) => TensorPrimitives.Add(dx, g, dx);
    }

    // returns sum((a[n] - b[n])^2)   (MseLoss divides by n)
    public static double SquaredErrorSum(float[] a, float[] b) => Chunked<SquaredDiff>(a, b);

    private readonly struct SquaredDiff : IChunkSum
    {
        public static float Of(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => SquaredDiffSum(a, b);
    }

    // dA[n] += k * (a[n] - b[n]);  dB[n] -= k * (a[n] - b[n])   with k = g * 2 / n; either buffer may be null
    public static void SquaredErrorBackward(float[]? dA, float[]? dB, float[] a, float[] b, float k) =>
        Par.Elements(a.Length, new SquaredErrorGrad(dA, dB, a, b, k));

    private readonly struct SquaredErrorGrad(float[]? dA, float[]? dB, float[] a, float[] b, float k) : IRangeBody
    {
        public void Run(int s, int end)
        {
            int c = end - s;
            ReadOnlySpan<float> aa = a.AsSpan(s, c), bb = b.AsSpan(s, c);
            Span<float> da = dA is null ? default : dA.AsSpan(s, c), db = dB is null ? default : dB.AsSpan(s, c);
            for (int i = 0; i < aa.Length; i++)
            {
                float d = k * (aa[i] - bb[i]);
                if (dA is not null) da[i] += d;
                if (dB is not null) db[i] -= d;
            }
        }
    }

    // returns sum(|a[n] - b[n]|)   (L1Loss divides by n)
    public static double AbsoluteErrorSum(float[] a, float[] b) => Chunked<AbsDiff>(a, b);

    private readonly struct AbsDiff : IChunkSum
    {
        public static float Of(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => AbsDiffSum(a, b);
    }

    // dA[n] += k * sign(a[n] - b[n]);  dB[n] -= k * sign(a[n] - b[n])   with k = g / n, sign(0) = 0
    public static void AbsoluteErrorBackward(float[]? dA, float[]? dB, float[] a, float[] b, float k) =>
        Par.Elements(a.Length, new AbsoluteErrorGrad(dA, dB, a, b, k));

    private readonly struct AbsoluteErrorGrad(float[]? dA, float[]? dB, float[] a, float[] b, float k) : IRangeBody
    {
        public void Run(int s, int end)
        {
            int c = end - s;
            ReadOnlySpan<float> aa = a.AsSpan(s, c), bb = b.AsSpan(s, c);
            Span<float> da = dA is null ? default : dA.AsSpan(s, c), db = dB is null ? default : dB.AsSpan(s, c);
            for (int i = 0; i < aa.Length; i++)
            {
                float diff = aa[i] - bb[i];
                float d = diff > 0f ? k : diff < 0f ? -k : 0f;
                if (dA is not null) da[i] += d;
                if (dB is not null) db[i] -= d;
            }
        }
    }

    // The chunk partials of the calling thread's reductions, reused across calls (grown as needed) so a reduction
    // allocates nothing; only the first `chunks` entries of a call are written and read.
    [ThreadStatic] private static double[]? _partials;

    // sum over chunks c (in index order, in double) of TS.Of(a[chunk c], b[chunk c])
    private static double Chunked<TS>(float[] a, float[] b) where TS : struct, IChunkSum
    {
        int n = a.Length, chunks = (n + Chunk - 1) / Chunk;
        double[] partial = _partials is { } cached && cached.Length >= chunks ? cached : _partials = new double[chunks];
        int parts = n < Par.ElementwiseThreshold ? 1 : Threading.MaxThreads;
        Par.For(chunks, parts, new ChunkSums<TS>(partial, a, b));
        double total = 0;
        for (int c = 0; c < chunks; c++) total += partial[c];
        return total;
    }

    /// <summary>A chunk's float sum of some function of a and b (same-length spans).</summary>
    private interface IChunkSum
    {
        static abstract float Of(ReadOnlySpan<float> a, ReadOnlySpan<float> b);
    }

    // partial[c] = TS.Of(chunk c of a and b) for the chunks c in [c0, c1)
    private readonly struct ChunkSums<TS>(double[] partial, float[] a, float[] b) : IRangeBody where TS : struct, IChunkSum
    {
        public void Run(int c0, int c1)
        {
            int n = a.Length;
            for (int c = c0; c < c1; c++)
            {
                int s = c * Chunk, len = Math.Min(Chunk, n - s);
                partial[c] = TS.Of(a.AsSpan(s, len), b.AsSpan(s, len));
            }
        }
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
