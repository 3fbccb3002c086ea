using System.Numerics;
using System.Numerics.Tensors;
using Hush.Engine.Kernels;

namespace Hush.Engine.Fused;

/// <summary>
/// The gate of a gated convolution, elementwise over x [N, 2C, H, W] whose first C channels are the features f and the
/// last C the gates g:  y[n, c] = a ⊙ s with a = LeakyReLU(f[n, c], slope) and s = sigmoid(g[n, c]).
/// Backward (accumulating): df += dY ⊙ s ⊙ (f &gt; 0 ? 1 : slope),  dg += (dY ⊙ a) ⊙ s(1 − s): the same float
/// expressions, in the same order, as the composition's LeakyRelu, Sigmoid and Mul kernels, so the results are equal
/// bit for bit. s is recomputed in the backward pass instead of stored (one exp per element against a buffer of N·C·H·W).
/// Parallel over (image, channel) planes in chunks of <see cref="Chunk"/> elements; sigmoids of a chunk go through a
/// stack buffer.
/// </summary>
internal static class GatedKernels
{
    private const int Chunk = 512;

    // y[n, c, i] = LeakyReLU(x[n, c, i]) ⊙ sigmoid(x[n, C + c, i])
    public static void Forward(float[] y, float[] x, int n, int c, int plane, float slope) =>
        Par.For(n * c, PlaneParts.For(y.Length), new Planes(y, x, null, null, c, plane, slope));

    // dX[n, c, i] += dY ⊙ s ⊙ LeakyReLU'(f),  dX[n, C + c, i] += (dY ⊙ a) ⊙ s(1 − s)
    public static void Backward(float[] dX, float[] dY, float[] x, int n, int c, int plane, float slope) =>
        Par.For(n * c, PlaneParts.For(dY.Length), new Planes(null, x, dX, dY, c, plane, slope));

    private readonly struct Planes(float[]? y, float[] x, float[]? dX, float[]? dY, int c, int plane, float slope) : IRangeBody
    {
        public void Run(int p0, int p1)
        {
            Span<float> s = stackalloc float[Chunk];
            for (int p = p0; p < p1; p++)
            {
                int img = p / c, ch = p % c;
                int at = p * plane, f0 = (img * 2 * c + ch) * plane, g0 = f0 + c * plane;
                for (int i = 0; i < plane; i += Chunk)
                {
                    int len = Math.Min(Chunk, plane - i);
                    Span<float> sig = s[..len];
                    TensorPrimitives.Sigmoid(x.AsSpan(g0 + i, len), sig);
                    if (dX is null) ForwardSpan(y.AsSpan(at + i, len), x.AsSpan(f0 + i, len), sig, slope);
                    else BackwardSpan(dX.AsSpan(f0 + i, len), dX.AsSpan(g0 + i, len), dY.AsSpan(at + i, len), x.AsSpan(f0 + i, len), sig, slope);
                }
            }
        }
    }

    private static void ForwardSpan(Span<float> y, ReadOnlySpan<float> f, ReadOnlySpan<float> s, float slope)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var k = new Vector<float>(slope);
            for (; i <= y.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var v = new Vector<float>(f[i..]);
                var a = Vector.ConditionalSelect(Vector.GreaterThan(v, Vector<float>.Zero), v, v * k);
                (a * new Vector<float>(s[i..])).CopyTo(y[i..]);
            }
        }

        for (; i < y.Length; i++)
        {
            float v = f[i];
            y[i] = (v > 0f ? v : v * slope) * s[i];
        }
    }

    private static void BackwardSpan(Span<float> df, Span<float> dg, ReadOnlySpan<float> dy, ReadOnlySpan<float> f, ReadOnlySpan<float> s, float slope)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var k = new Vector<float>(slope);
            var one = Vector<float>.One;
            for (; i <= dy.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var v = new Vector<float>(f[i..]);
                var d = new Vector<float>(dy[i..]);
                var sv = new Vector<float>(s[i..]);
                var positive = Vector.GreaterThan(v, Vector<float>.Zero);
                var ds = d * sv;
                (new Vector<float>(df[i..]) + Vector.ConditionalSelect(positive, ds, ds * k)).CopyTo(df[i..]);
                var a = Vector.ConditionalSelect(positive, v, v * k);
                (new Vector<float>(dg[i..]) + d * a * (sv * (one - sv))).CopyTo(dg[i..]);
            }
        }

        for (; i < dy.Length; i++)
        {
            float v = f[i], ds = dy[i] * s[i];
            df[i] += v > 0f ? ds : ds * slope;
            float a = v > 0f ? v : v * slope;
            dg[i] += dy[i] * a * (s[i] * (1f - s[i]));
        }
    }
}
