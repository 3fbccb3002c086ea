using System.Numerics;
using System.Numerics.Tensors;

namespace Hush.Engine.Kernels;

/// <summary>
/// Elementwise forward/backward kernels. Every buffer is a flat [n] view of same-shaped tensors.
/// Backward kernels ACCUMULATE (+=) into the gradient buffers. Large buffers are split into static chunks.
/// </summary>
internal static class Elementwise
{
    // y[n] = a[n] + b[n]
    public static void AddForward(float[] y, float[] a, float[] b) =>
        Par.Elements(y.Length, (s, c) => TensorPrimitives.Add(a.AsSpan(s, c), b.AsSpan(s, c), y.AsSpan(s, c)));

    // y[n] = a[n] - b[n]
    public static void SubForward(float[] y, float[] a, float[] b) =>
        Par.Elements(y.Length, (s, c) => TensorPrimitives.Subtract(a.AsSpan(s, c), b.AsSpan(s, c), y.AsSpan(s, c)));

    // y[n] = a[n] * b[n]
    public static void MulForward(float[] y, float[] a, float[] b) =>
        Par.Elements(y.Length, (s, c) => TensorPrimitives.Multiply(a.AsSpan(s, c), b.AsSpan(s, c), y.AsSpan(s, c)));

    // y[n] = a[n] * k
    public static void ScaleForward(float[] y, float[] a, float k) =>
        Par.Elements(y.Length, (s, c) => TensorPrimitives.Multiply(a.AsSpan(s, c), k, y.AsSpan(s, c)));

    // y[n] = a[n] + k
    public static void AddScalarForward(float[] y, float[] a, float k) =>
        Par.Elements(y.Length, (s, c) => TensorPrimitives.Add(a.AsSpan(s, c), k, y.AsSpan(s, c)));

    // dX[n] += dY[n]   (Add, Sub's first input, AddScalar, ...)
    public static void AccumulateBackward(float[] dX, float[] dY) =>
        Par.Elements(dX.Length, (s, c) => TensorPrimitives.Add(dX.AsSpan(s, c), dY.AsSpan(s, c), dX.AsSpan(s, c)));

    // dX[n] -= dY[n]   (Sub's second input)
    public static void SubtractBackward(float[] dX, float[] dY) =>
        Par.Elements(dX.Length, (s, c) => TensorPrimitives.Subtract(dX.AsSpan(s, c), dY.AsSpan(s, c), dX.AsSpan(s, c)));

    // dA[n] += dY[n] * other[n]   (Mul: other is the other input)
    public static void MulBackward(float[] dA, float[] dY, float[] other) =>
        Par.Elements(dA.Length, (s, c) => TensorPrimitives.FusedMultiplyAdd(dY.AsSpan(s, c), other.AsSpan(s, c), dA.AsSpan(s, c), dA.AsSpan(s, c)));

    // dA[n] += dY[n] * k
    public static void ScaleBackward(float[] dA, float[] dY, float k) =>
        Par.Elements(dA.Length, (s, c) => TensorPrimitives.FusedMultiplyAdd(dY.AsSpan(s, c), k, dA.AsSpan(s, c), dA.AsSpan(s, c)));

    // y[n] = x[n] > 0 ? x[n] : slope * x[n]
    public static void LeakyReluForward(float[] y, float[] x, float slope) =>
        Par.Elements(y.Length, (s, c) => LeakyReluForwardSpan(y.AsSpan(s, c), x.AsSpan(s, c), slope));

    // dX[n] += x[n] > 0 ? dY[n] : slope * dY[n]
    public static void LeakyReluBackward(float[] dX, float[] dY, float[] x, float slope) =>
        Par.Elements(dX.Length, (s, c) => LeakyReluBackwardSpan(dX.AsSpan(s, c), dY.AsSpan(s, c), x.AsSpan(s, c), slope));

    // y[n] = 1 / (1 + exp(-x[n]))
    public static void SigmoidForward(float[] y, float[] x) =>
        Par.Elements(y.Length, (s, c) => TensorPrimitives.Sigmoid(x.AsSpan(s, c), y.AsSpan(s, c)));

    // dX[n] += dY[n] * y[n] * (1 - y[n])     (y = sigmoid output)
    public static void SigmoidBackward(float[] dX, float[] dY, float[] y) =>
        Par.Elements(dX.Length, (s, c) =>
        {
            Span<float> dx = dX.AsSpan(s, c);
            ReadOnlySpan<float> dy = dY.AsSpan(s, c), yy = y.AsSpan(s, c);
            for (int i = 0; i < dx.Length; i++) dx[i] += dy[i] * (yy[i] * (1f - yy[i]));
        });

    // y[n] = min(max(x[n], lo), hi)
    public static void ClampForward(float[] y, float[] x, float lo, float hi) =>
        Par.Elements(y.Length, (s, c) =>
        {
            TensorPrimitives.Max(x.AsSpan(s, c), lo, y.AsSpan(s, c));
            TensorPrimitives.Min(y.AsSpan(s, c), hi, y.AsSpan(s, c));
        });

    // dX[n] += (lo < x[n] < hi) ? dY[n] : 0
    public static void ClampBackward(float[] dX, float[] dY, float[] x, float lo, float hi) =>
        Par.Elements(dX.Length, (s, c) =>
        {
            Span<float> dx = dX.AsSpan(s, c);
            ReadOnlySpan<float> dy = dY.AsSpan(s, c), xx = x.AsSpan(s, c);
            for (int i = 0; i < dx.Length; i++)
            {
                if (xx[i] > lo && xx[i] < hi) dx[i] += dy[i];
            }
        });

    private static void LeakyReluForwardSpan(Span<float> y, ReadOnlySpan<float> x, float slope)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var k = new Vector<float>(slope);
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var v = new Vector<float>(x[i..]);
                Vector.ConditionalSelect(Vector.GreaterThan(v, Vector<float>.Zero), v, v * k).CopyTo(y[i..]);
            }
        }

        for (; i < x.Length; i++) y[i] = x[i] > 0f ? x[i] : slope * x[i];
    }

    // v[n] = v[n] > 0 ? v[n] : slope * v[n]  (one row, on the calling thread: fused into kernels that just wrote it)
    public static void LeakyReluInPlace(Span<float> v, float slope) => LeakyReluForwardSpan(v, v, slope);

    // g[n] = x[n] > 0 ? dY[n] : slope * dY[n]   (overwrites g; the gradient of a LeakyReLU whose input or output is x)
    public static void LeakyReluGradient(float[] g, float[] dY, float[] x, float slope) =>
        Par.Elements(g.Length, (s, c) => LeakyReluGradientSpan(g.AsSpan(s, c), dY.AsSpan(s, c), x.AsSpan(s, c), slope));

    internal static void LeakyReluGradientSpan(Span<float> g, ReadOnlySpan<float> dy, ReadOnlySpan<float> x, float slope)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var k = new Vector<float>(slope);
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var d = new Vector<float>(dy[i..]);
                Vector.ConditionalSelect(Vector.GreaterThan(new Vector<float>(x[i..]), Vector<float>.Zero), d, d * k).CopyTo(g[i..]);
            }
        }

        for (; i < x.Length; i++) g[i] = x[i] > 0f ? dy[i] : slope * dy[i];
    }

    private static void LeakyReluBackwardSpan(Span<float> dx, ReadOnlySpan<float> dy, ReadOnlySpan<float> x, float slope)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var k = new Vector<float>(slope);
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var g = new Vector<float>(dy[i..]);
                var mask = Vector.GreaterThan(new Vector<float>(x[i..]), Vector<float>.Zero);
                (new Vector<float>(dx[i..]) + Vector.ConditionalSelect(mask, g, g * k)).CopyTo(dx[i..]);
            }
        }

        for (; i < x.Length; i++) dx[i] += x[i] > 0f ? dy[i] : slope * dy[i];
    }
}
