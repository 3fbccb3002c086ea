namespace Hush.Engine.Kernels;

/// <summary>
/// Batch normalisation in training mode over [N, C, H, W]: per channel c, the mean μ and the biased variance σ² of
/// its N·H·W samples, then y = γ·(x − μ)/√(σ² + ε) + β (llm.c's layernorm pair, over channels instead of rows).
/// Statistics are summed in double, one channel per task, in index order: the result does not depend on the thread
/// count. Plain loops (a few flops per sample, memory-bound): the kernel is its own reference; the tests check it
/// against a direct computation in double and finite differences. Backward ACCUMULATES.
/// </summary>
internal static class BatchNorm
{
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
                for (int b = 0; b < n; b++)
                {
                    int o = (b * c + ch) * plane;
                    for (int p = 0; p < plane; p++) sum += x[o + p];
                }

                double mu = sum / count, sq = 0;
                for (int b = 0; b < n; b++)
                {
                    int o = (b * c + ch) * plane;
                    for (int p = 0; p < plane; p++)
                    {
                        double d = x[o + p] - mu;
                        sq += d * d;
                    }
                }

                float m = (float)mu, r = (float)(1.0 / Math.Sqrt(sq / count + eps));
                mean[ch] = m;
                rstd[ch] = r;
                float scale = gamma[ch] * r, shift = beta[ch];
                for (int b = 0; b < n; b++)
                {
                    int o = (b * c + ch) * plane;
                    for (int p = 0; p < plane; p++) y[o + p] = (x[o + p] - m) * scale + shift;
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
                    for (int p = 0; p < plane; p++)
                    {
                        sumDy += dY[o + p];
                        sumDyXhat += dY[o + p] * ((x[o + p] - m) * r);
                    }
                }

                if (dBeta is not null) dBeta[ch] += (float)sumDy;
                if (dGamma is not null) dGamma[ch] += (float)sumDyXhat;
                if (dX is null) continue;
                float k = gamma[ch] * r, meanDy = (float)(sumDy / count), meanDyXhat = (float)(sumDyXhat / count);
                for (int b = 0; b < n; b++)
                {
                    int o = (b * c + ch) * plane;
                    for (int p = 0; p < plane; p++)
                        dX[o + p] += k * (dY[o + p] - meanDy - (x[o + p] - m) * r * meanDyXhat);
                }
            }
        }
    }
}
