using System.Numerics;

namespace Hush.Engine.Kernels;

/// <summary>
/// Batch normalisation in training mode over [N, C, H, W]: per channel c, the mean μ and the biased variance σ² of
/// its N·H·W samples, then y = γ·(x − μ)/√(σ² + ε) + β (llm.c's layernorm pair, over channels instead of rows).
/// Statistics are summed in double, one channel per task, in a fixed order (vector lanes, then the lanes summed): the
/// result does not depend on the thread count. Vector loops (a few flops per sample, memory-bound; a scalar double
/// chain would be bound by the add latency instead); the kernel is its own reference: the tests check it against a
/// direct computation in double and finite differences. Backward ACCUMULATES.
/// </summary>
internal static class BatchNorm
{
    // Σ v, Σ (v − mu)², Σ d, Σ d·(v − mu)·r: sums of float samples in double, four double vectors (two per float
    // vector) in flight, lanes summed at the end, then the tail.
    private static double Sum(ReadOnlySpan<float> v)
    {
        int i = 0;
        var (a, b) = (Vector<double>.Zero, Vector<double>.Zero);
        for (; i <= v.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            Vector.Widen(new Vector<float>(v[i..]), out var lo, out var hi);
            (a, b) = (a + lo, b + hi);
        }

        double s = Vector.Sum(a + b);
        for (; i < v.Length; i++) s += v[i];
        return s;
    }

    private static double SquaredDeviation(ReadOnlySpan<float> v, double mu)
    {
        int i = 0;
        var (a, b, m) = (Vector<double>.Zero, Vector<double>.Zero, new Vector<double>(mu));
        for (; i <= v.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            Vector.Widen(new Vector<float>(v[i..]), out var lo, out var hi);
            (lo, hi) = (lo - m, hi - m);
            (a, b) = (a + lo * lo, b + hi * hi);
        }

        double s = Vector.Sum(a + b);
        for (; i < v.Length; i++) s += (v[i] - mu) * (v[i] - mu);
        return s;
    }

    // (Σ dy, Σ dy·x̂) with x̂ = (x − m)·r in float, products and sums in double
    private static (double SumDy, double SumDyXhat) GradientSums(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, float m, float r)
    {
        int i = 0;
        var (a, b, c, d) = (Vector<double>.Zero, Vector<double>.Zero, Vector<double>.Zero, Vector<double>.Zero);
        var (mv, rv) = (new Vector<float>(m), new Vector<float>(r));
        for (; i <= dy.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            var g = new Vector<float>(dy[i..]);
            var xhat = (new Vector<float>(x[i..]) - mv) * rv;
            Vector.Widen(g, out var glo, out var ghi);
            Vector.Widen(xhat, out var xlo, out var xhi);
            (a, b) = (a + glo, b + ghi);
            (c, d) = (c + glo * xlo, d + ghi * xhi);
        }

        double sumDy = Vector.Sum(a + b), sumDyXhat = Vector.Sum(c + d);
        for (; i < dy.Length; i++)
        {
            sumDy += dy[i];
            sumDyXhat += dy[i] * (double)((x[i] - m) * r);
        }

        return (sumDy, sumDyXhat);
    }

    // x, y [N, C, plane]; gamma, beta [C]; mean, rstd [C] (outputs, saved for backward)
    public static void Forward(float[] y, float[] mean, float[] rstd, float[] x, float[] gamma, float[] beta,
        int n, int c, int plane, float eps)
    {
        double count = (double)n * plane;
        Par.For(c, PlaneParts.For((long)n * c * plane), new Normalize(y, mean, rstd, x, gamma, beta, n, c, plane, eps, count));
    }

    // Forward over the channels ch in [c0, c1)
    private readonly struct Normalize(float[] y, float[] mean, float[] rstd, float[] x, float[] gamma, float[] beta,
        int n, int c, int plane, float eps, double count) : IRangeBody
    {
        public void Run(int c0, int c1)
        {
            for (int ch = c0; ch < c1; ch++)
            {
                double sum = 0;
                for (int b = 0; b < n; b++) sum += Sum(x.AsSpan((b * c + ch) * plane, plane));
                double mu = sum / count, sq = 0;
                for (int b = 0; b < n; b++) sq += SquaredDeviation(x.AsSpan((b * c + ch) * plane, plane), mu);

                float m = (float)mu, r = (float)(1.0 / Math.Sqrt(sq / count + eps));
                mean[ch] = m;
                rstd[ch] = r;
                float scale = gamma[ch] * r, shift = beta[ch];
                for (int b = 0; b < n; b++)
                {
                    int o = (b * c + ch) * plane;
                    Affine(y.AsSpan(o, plane), x.AsSpan(o, plane), m, scale, shift);
                }
            }
        }
    }

    // With x̂ = (x − μ)·rstd and M = N·plane:  dβ += Σ dY;  dγ += Σ dY·x̂;
    // dX += γ·rstd·(dY − Σ dY / M − x̂·Σ(dY·x̂) / M). Any of dX, dGamma, dBeta may be null.
    public static void Backward(float[]? dX, float[]? dGamma, float[]? dBeta, float[] dY, float[] x, float[] gamma,
        float[] mean, float[] rstd, int n, int c, int plane)
    {
        double count = (double)n * plane;
        Par.For(c, PlaneParts.For((long)n * c * plane), new NormalizeGrad(dX, dGamma, dBeta, dY, x, gamma, mean, rstd, n, c, plane, count));
    }

    // Backward over the channels ch in [c0, c1)
    private readonly struct NormalizeGrad(float[]? dX, float[]? dGamma, float[]? dBeta, float[] dY, float[] x, float[] gamma,
        float[] mean, float[] rstd, int n, int c, int plane, double count) : IRangeBody
    {
        public void Run(int c0, int c1)
        {
            for (int ch = c0; ch < c1; ch++)
            {
                float m = mean[ch], r = rstd[ch];
                double sumDy = 0, sumDyXhat = 0;
                for (int b = 0; b < n; b++)
                {
                    int o = (b * c + ch) * plane;
                    var (s1, s2) = GradientSums(dY.AsSpan(o, plane), x.AsSpan(o, plane), m, r);
                    (sumDy, sumDyXhat) = (sumDy + s1, sumDyXhat + s2);
                }

                if (dBeta is not null) dBeta[ch] += (float)sumDy;
                if (dGamma is not null) dGamma[ch] += (float)sumDyXhat;
                if (dX is null) continue;
                float k = gamma[ch] * r, meanDy = (float)(sumDy / count), meanDyXhat = (float)(sumDyXhat / count);
                for (int b = 0; b < n; b++)
                {
                    int o = (b * c + ch) * plane;
                    InputGradient(dX.AsSpan(o, plane), dY.AsSpan(o, plane), x.AsSpan(o, plane), k, meanDy, m, r * meanDyXhat);
                }
            }
        }
    }

    // y = (x − m)·scale + shift
    private static void Affine(Span<float> y, ReadOnlySpan<float> x, float m, float scale, float shift)
    {
        int i = 0;
        var (mv, sv, tv) = (new Vector<float>(m), new Vector<float>(scale), new Vector<float>(shift));
        for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
            ((new Vector<float>(x[i..]) - mv) * sv + tv).CopyTo(y[i..]);
        for (; i < x.Length; i++) y[i] = (x[i] - m) * scale + shift;
    }

    // dx += k·(dy − meanDy − (x − m)·q)   with q = r·mean(dy·x̂)
    private static void InputGradient(Span<float> dx, ReadOnlySpan<float> dy, ReadOnlySpan<float> x, float k, float meanDy, float m, float q)
    {
        int i = 0;
        var (kv, dv, mv, qv) = (new Vector<float>(k), new Vector<float>(meanDy), new Vector<float>(m), new Vector<float>(q));
        for (; i <= dy.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            var g = new Vector<float>(dy[i..]) - dv - (new Vector<float>(x[i..]) - mv) * qv;
            (new Vector<float>(dx[i..]) + kv * g).CopyTo(dx[i..]);
        }

        for (; i < dy.Length; i++) dx[i] += k * (dy[i] - meanDy - (x[i] - m) * q);
    }
}
