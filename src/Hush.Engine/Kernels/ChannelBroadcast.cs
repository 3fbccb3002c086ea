namespace Hush.Engine.Kernels;

/// <summary>
/// Per-channel reductions and broadcasts of [N, C, H, W] (squeeze-and-excitation): the spatial mean of every plane
/// (global average pooling) and the scaling of every plane by one value. Sums run in double, one plane after the
/// other in index order, so results do not depend on the thread count. Plain loops, their own reference (the tests
/// compare with direct computations in double). Backward kernels ACCUMULATE (+=).
/// </summary>
internal static class ChannelBroadcast
{
    // y[P] = Σ_k x[P, k] / plane     (P = N·C planes of `plane` samples)
    public static void MeanForward(float[] y, float[] x, int planes, int plane) =>
        Par.For(planes, PlaneParts.For((long)planes * plane), new Means(y, x, plane));

    // MeanForward over the planes p in [p0, p1)
    private readonly struct Means(float[] y, float[] x, int plane) : IRangeBody
    {
        public void Run(int p0, int p1)
        {
            for (int p = p0; p < p1; p++)
            {
                double s = 0;
                for (int k = 0, o = p * plane; k < plane; k++) s += x[o + k];
                y[p] = (float)(s / plane);
            }
        }
    }

    // dX[P, k] += dY[P] / plane
    public static void MeanBackward(float[] dX, float[] dY, int planes, int plane) =>
        Par.For(planes, PlaneParts.For((long)planes * plane), new MeansGrad(dX, dY, plane));

    // MeanBackward over the planes p in [p0, p1)
    private readonly struct MeansGrad(float[] dX, float[] dY, int plane) : IRangeBody
    {
        public void Run(int p0, int p1)
        {
            for (int p = p0; p < p1; p++)
            {
                float g = dY[p] / plane;
                for (int k = 0, o = p * plane; k < plane; k++) dX[o + k] += g;
            }
        }
    }

    // y[P, k] = x[P, k] * s[P]
    public static void ScaleForward(float[] y, float[] x, float[] s, int planes, int plane) =>
        Par.For(planes, PlaneParts.For((long)planes * plane), new Scales(y, x, s, plane));

    // ScaleForward over the planes p in [p0, p1)
    private readonly struct Scales(float[] y, float[] x, float[] s, int plane) : IRangeBody
    {
        public void Run(int p0, int p1)
        {
            for (int p = p0; p < p1; p++)
            {
                float v = s[p];
                for (int k = 0, o = p * plane; k < plane; k++) y[o + k] = x[o + k] * v;
            }
        }
    }

    // dX[P, k] += dY[P, k] * s[P];  dS[P] += Σ_k dY[P, k] * x[P, k]   (either may be null)
    public static void ScaleBackward(float[]? dX, float[]? dS, float[] dY, float[] x, float[] s, int planes, int plane) =>
        Par.For(planes, PlaneParts.For((long)planes * plane), new ScalesGrad(dX, dS, dY, x, s, plane));

    // ScaleBackward over the planes p in [p0, p1)
    private readonly struct ScalesGrad(float[]? dX, float[]? dS, float[] dY, float[] x, float[] s, int plane) : IRangeBody
    {
        public void Run(int p0, int p1)
        {
            for (int p = p0; p < p1; p++)
            {
                int o = p * plane;
                if (dX is not null)
                {
                    float v = s[p];
                    for (int k = 0; k < plane; k++) dX[o + k] += dY[o + k] * v;
                }

                if (dS is not null)
                {
                    double sum = 0;
                    for (int k = 0; k < plane; k++) sum += dY[o + k] * x[o + k];
                    dS[p] += (float)sum;
                }
            }
        }
    }
}
