using System.Numerics;
using System.Numerics.Tensors;
using Hush.Engine.Kernels;

namespace Hush.Engine.Fused;

/// <summary>
/// A partial convolution's epilogue, elementwise over the convolution c [N, K, H, W] with the ratio r and updated mask
/// u [N, 1, H, W] shared by every channel and one bias b[k] per channel:  v = c ⊙ r + b[k] · u,  y = act(v).
/// Backward (accumulating): g = act'(v) ⊙ dY (v recomputed, not stored), dc += g ⊙ r, db[k] += Σ g ⊙ u. The value and
/// dc use the same float operations, in the same order, as the composition's Mul, 1×1 convolution, Add and LeakyRelu
/// kernels (v rounded after each product; dc by the Mul gradient's fused multiply-add), so they are equal bit for bit.
/// db sums per (image, channel) plane in vector lanes, then the planes in order: deterministic for any thread count.
/// </summary>
internal static class PartialEpilogueKernels
{
    // y[n, k, i] = act(c[n, k, i] · r[n, i] + b[k] · u[n, i])
    public static void Forward(float[] y, float[] c, float[] r, float[] u, float[] b, int n, int k, int plane, float? slope) =>
        Par.For(n * k, PlaneParts.For(c.Length), new Planes(y, c, r, u, b, null, null, null, k, plane, slope));

    // dC[n, k, i] += g · r[n, i],  dB[k] += Σ_(n, i) g · u[n, i]  with g = act'(v) dY
    public static void Backward(float[]? dC, float[]? dB, float[] dY, float[] c, float[] r, float[] u, float[] b, int n, int k, int plane, float? slope)
    {
        double[] sums = _sums is { } kept && kept.Length >= n * k ? kept : _sums = new double[n * k]; // per plane
        Par.For(n * k, PlaneParts.For(c.Length), new Planes(null, c, r, u, b, dC, dY, sums, k, plane, slope));
        if (dB is null) return;
        for (int p = 0; p < n * k; p++) dB[p % k] += (float)sums[p];
    }

    [ThreadStatic] private static double[]? _sums; // the calling thread's plane sums: a step allocates nothing

    private readonly struct Planes(float[]? y, float[] c, float[] r, float[] u, float[] b, float[]? dC, float[]? dY, double[]? sums,
        int k, int plane, float? slope) : IRangeBody
    {
        public void Run(int p0, int p1)
        {
            for (int p = p0; p < p1; p++)
            {
                int img = p / k, at = p * plane, m = img * plane;
                float bk = b[p % k];
                var cs = c.AsSpan(at, plane);
                var rs = r.AsSpan(m, plane);
                var us = u.AsSpan(m, plane);
                if (dY is null) ForwardSpan(y.AsSpan(at, plane), cs, rs, us, bk, slope);
                else sums![p] = BackwardSpan(dC is null ? default : dC.AsSpan(at, plane), dY.AsSpan(at, plane), cs, rs, us, bk, slope);
            }
        }
    }

    private static void ForwardSpan(Span<float> y, ReadOnlySpan<float> c, ReadOnlySpan<float> r, ReadOnlySpan<float> u, float b, float? slope)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vb = new Vector<float>(b);
            var k = new Vector<float>(slope ?? 1f);
            for (; i <= y.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var v = new Vector<float>(c[i..]) * new Vector<float>(r[i..]) + vb * new Vector<float>(u[i..]);
                if (slope is not null) v = Vector.ConditionalSelect(Vector.GreaterThan(v, Vector<float>.Zero), v, v * k);
                v.CopyTo(y[i..]);
            }
        }

        for (; i < y.Length; i++)
        {
            float v = c[i] * r[i] + b * u[i];
            y[i] = slope is float s && !(v > 0f) ? s * v : v;
        }
    }

    private const int Chunk = 512;

    // dc += g ⊙ r (as the composition's Mul gradient: one fused multiply-add per element); returns Σ g ⊙ u over the plane.
    private static double BackwardSpan(Span<float> dc, ReadOnlySpan<float> dy, ReadOnlySpan<float> c, ReadOnlySpan<float> r,
        ReadOnlySpan<float> u, float b, float? slope)
    {
        Span<float> buffer = stackalloc float[Chunk];
        double sum = 0;
        for (int at = 0; at < dy.Length; at += Chunk)
        {
            int len = Math.Min(Chunk, dy.Length - at);
            Span<float> g = buffer[..len];
            Gradient(g, dy.Slice(at, len), c.Slice(at, len), r.Slice(at, len), u.Slice(at, len), b, slope);
            if (!dc.IsEmpty) TensorPrimitives.FusedMultiplyAdd(g, r.Slice(at, len), dc.Slice(at, len), dc.Slice(at, len));
            sum += Dot(g, u.Slice(at, len));
        }

        return sum;
    }

    // g = act'(c ⊙ r + b · u) ⊙ dY
    private static void Gradient(Span<float> g, ReadOnlySpan<float> dy, ReadOnlySpan<float> c, ReadOnlySpan<float> r,
        ReadOnlySpan<float> u, float b, float? slope)
    {
        if (slope is not float s)
        {
            dy.CopyTo(g);
            return;
        }

        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vb = new Vector<float>(b);
            var k = new Vector<float>(s);
            for (; i <= g.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var d = new Vector<float>(dy[i..]);
                var v = new Vector<float>(c[i..]) * new Vector<float>(r[i..]) + vb * new Vector<float>(u[i..]);
                Vector.ConditionalSelect(Vector.GreaterThan(v, Vector<float>.Zero), d, d * k).CopyTo(g[i..]);
            }
        }

        for (; i < g.Length; i++) g[i] = c[i] * r[i] + b * u[i] > 0f ? dy[i] : s * dy[i];
    }

    // Σ g ⊙ u in float vector lanes, returned in double
    private static double Dot(ReadOnlySpan<float> g, ReadOnlySpan<float> u)
    {
        int i = 0;
        double sum = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var acc = Vector<float>.Zero;
            for (; i <= g.Length - Vector<float>.Count; i += Vector<float>.Count) acc += new Vector<float>(g[i..]) * new Vector<float>(u[i..]);
            for (int l = 0; l < Vector<float>.Count; l++) sum += acc[l];
        }

        for (; i < g.Length; i++) sum += g[i] * u[i];
        return sum;
    }
}
