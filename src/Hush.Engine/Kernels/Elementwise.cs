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
    public static void AddForward(float[] y, float[] a, float[] b) => Run<Add>(y, a, b);

    private readonly struct Add : ISpanKernel
    {
        public static void Apply(Span<float> y, ReadOnlySpan<float> a, ReadOnlySpan<float> b, float k, float k2) => TensorPrimitives.Add(a, b, y);
    }

    // y[n] = a[n] - b[n]
    public static void SubForward(float[] y, float[] a, float[] b) => Run<Sub>(y, a, b);

    private readonly struct Sub : ISpanKernel
    {
        public static void Apply(Span<float> y, ReadOnlySpan<float> a, ReadOnlySpan<float> b, float k, float k2) => TensorPrimitives.Subtract(a, b, y);
    }

    // y[n] = a[n] * b[n]
    public static void MulForward(float[] y, float[] a, float[] b) => Run<Mul>(y, a, b);

    private readonly struct Mul : ISpanKernel
    {
        public static void Apply(Span<float> y, ReadOnlySpan<float> a, ReadOnlySpan<float> b, float k, float k2) => TensorPrimitives.Multiply(a, b, y);
    }

    // y[n] = a[n] * k
    public static void ScaleForward(float[] y, float[] a, float k) => Run<Scale>(y, a, k: k);

    private readonly struct Scale : ISpanKernel
    {
        public static void Apply(Span<float> y, ReadOnlySpan<float> a, ReadOnlySpan<float> b, float k, float k2) => TensorPrimitives.Multiply(a, k, y);
    }

    // y[n] = a[n] + k
    public static void AddScalarForward(float[] y, float[] a, float k) => Run<AddScalar>(y, a, k: k);

    private readonly struct AddScalar : ISpanKernel
    {
        public static void Apply(Span<float> y, ReadOnlySpan<float> a, ReadOnlySpan<float> b, float k, float k2) => TensorPrimitives.Add(a, k, y);
    }

    // dX[n] += dY[n]   (Add, Sub's first input, AddScalar, ...)
    public static void AccumulateBackward(float[] dX, float[] dY) => Run<Accumulate>(dX, dY);

    private readonly struct Accumulate : ISpanKernel
    {
        public static void Apply(Span<float> dx, ReadOnlySpan<float> dy, ReadOnlySpan<float> b, float k, float k2) => TensorPrimitives.Add(dx, dy, dx);
    }

    // dX[n] -= dY[n]   (Sub's second input)
    public static void SubtractBackward(float[] dX, float[] dY) => Run<Subtract>(dX, dY);

    private readonly struct Subtract : ISpanKernel
    {
        public static void Apply(Span<float> dx, ReadOnlySpan<float> dy, ReadOnlySpan<float> b, float k, float k2) => TensorPrimitives.Subtract(dx, dy, dx);
    }

    // dA[n] += dY[n] * other[n]   (Mul: other is the other input)
    public static void MulBackward(float[] dA, float[] dY, float[] other) => Run<MulGrad>(dA, dY, other);

    private readonly struct MulGrad : ISpanKernel
    {
        public static void Apply(Span<float> da, ReadOnlySpan<float> dy, ReadOnlySpan<float> other, float k, float k2) =>
            TensorPrimitives.FusedMultiplyAdd(dy, other, da, da);
    }

    // dA[n] += dY[n] * k
    public static void ScaleBackward(float[] dA, float[] dY, float k) => Run<ScaleGrad>(dA, dY, k: k);

    private readonly struct ScaleGrad : ISpanKernel
    {
        public static void Apply(Span<float> da, ReadOnlySpan<float> dy, ReadOnlySpan<float> b, float k, float k2) =>
            TensorPrimitives.FusedMultiplyAdd(dy, k, da, da);
    }

    // y[n] = x[n] > 0 ? x[n] : slope * x[n]
    public static void LeakyReluForward(float[] y, float[] x, float slope) => Run<LeakyRelu>(y, x, k: slope);

    private readonly struct LeakyRelu : ISpanKernel
    {
        public static void Apply(Span<float> y, ReadOnlySpan<float> x, ReadOnlySpan<float> b, float slope, float k2) => LeakyReluForwardSpan(y, x, slope);
    }

    // dX[n] += x[n] > 0 ? dY[n] : slope * dY[n]
    public static void LeakyReluBackward(float[] dX, float[] dY, float[] x, float slope) => Run<LeakyReluGrad>(dX, dY, x, slope);

    private readonly struct LeakyReluGrad : ISpanKernel
    {
        public static void Apply(Span<float> dx, ReadOnlySpan<float> dy, ReadOnlySpan<float> x, float slope, float k2) =>
            LeakyReluBackwardSpan(dx, dy, x, slope);
    }

    // y[n] = 1 / (1 + exp(-x[n]))
    public static void SigmoidForward(float[] y, float[] x) => Run<Sigmoid>(y, x);

    private readonly struct Sigmoid : ISpanKernel
    {
        public static void Apply(Span<float> y, ReadOnlySpan<float> x, ReadOnlySpan<float> b, float k, float k2) => TensorPrimitives.Sigmoid(x, y);
    }

    // dX[n] += dY[n] * y[n] * (1 - y[n])     (y = sigmoid output)
    public static void SigmoidBackward(float[] dX, float[] dY, float[] y) => Run<SigmoidGrad>(dX, dY, y);

    private readonly struct SigmoidGrad : ISpanKernel
    {
        public static void Apply(Span<float> dx, ReadOnlySpan<float> dy, ReadOnlySpan<float> yy, float k, float k2)
        {
            for (int i = 0; i < dx.Length; i++) dx[i] += dy[i] * (yy[i] * (1f - yy[i]));
        }
    }

    // y[n] = min(max(x[n], lo), hi)
    public static void ClampForward(float[] y, float[] x, float lo, float hi) => Run<Clamp>(y, x, k: lo, k2: hi);

    private readonly struct Clamp : ISpanKernel
    {
        public static void Apply(Span<float> y, ReadOnlySpan<float> x, ReadOnlySpan<float> b, float lo, float hi)
        {
            TensorPrimitives.Max(x, lo, y);
            TensorPrimitives.Min(y, hi, y);
        }
    }

    // dX[n] += (lo < x[n] < hi) ? dY[n] : 0
    public static void ClampBackward(float[] dX, float[] dY, float[] x, float lo, float hi) => Run<ClampGrad>(dX, dY, x, lo, hi);

    private readonly struct ClampGrad : ISpanKernel
    {
        public static void Apply(Span<float> dx, ReadOnlySpan<float> dy, ReadOnlySpan<float> xx, float lo, float hi)
        {
            for (int i = 0; i < dx.Length; i++)
            {
                if (xx[i] > lo && xx[i] < hi) dx[i] += dy[i];
            }
        }
    }

    // Runs kernel TK over Par.Elements' chunks of y: the struct job allocates nothing (a capturing lambda would
    // allocate a closure and a delegate per call).
    private static void Run<TK>(float[] y, float[] a, float[]? b = null, float k = 0f, float k2 = 0f) where TK : struct, ISpanKernel =>
        Par.Elements(y.Length, new SpanJob<TK>(y, a, b, k, k2));

    internal static void LeakyReluForwardSpan(Span<float> y, ReadOnlySpan<float> x, float slope)
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
    public static void LeakyReluGradient(float[] g, float[] dY, float[] x, float slope) => Run<LeakyReluMask>(g, dY, x, slope);

    private readonly struct LeakyReluMask : ISpanKernel
    {
        public static void Apply(Span<float> g, ReadOnlySpan<float> dy, ReadOnlySpan<float> x, float slope, float k2) =>
            LeakyReluGradientSpan(g, dy, x, slope);
    }

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

/// <summary>One elementwise kernel on a chunk: y = f(a, b, k, k2), every span the same length (b empty when the
/// kernel has no second input). Static, so a job names its kernel by type instead of holding a delegate.</summary>
internal interface ISpanKernel
{
    static abstract void Apply(Span<float> y, ReadOnlySpan<float> a, ReadOnlySpan<float> b, float k, float k2);
}

/// <summary>A region body that runs <typeparamref name="TK"/> on [start, end) of y, a and b.</summary>
internal readonly struct SpanJob<TK>(float[] y, float[] a, float[]? b, float k, float k2) : IRangeBody
    where TK : struct, ISpanKernel
{
    public void Run(int start, int end)
    {
        int c = end - start;
        TK.Apply(y.AsSpan(start, c), a.AsSpan(start, c), b is null ? default : b.AsSpan(start, c), k, k2);
    }
}
