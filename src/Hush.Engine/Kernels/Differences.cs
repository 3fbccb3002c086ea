namespace Hush.Engine.Kernels;

/// <summary>
/// Forward differences of the planes of [N, C, H, W] (the image gradient ∇ of Blind2Grad's loss and gradient layer):
/// horizontal y[i, j] = x[i, j+1] − x[i, j], vertical y[i, j] = x[i+1, j] − x[i, j], and 0 on the last column
/// (row), where the difference would leave the image (a zero-flux border: the H(W−1) + (H−1)W differences of the
/// paper's complexity count, laid out on the H×W grid). Plain loops, their own reference. Backward ACCUMULATES.
/// </summary>
internal static class Differences
{
    // x, y [planes, h, w]
    public static void Forward(float[] y, float[] x, int planes, int h, int w, bool horizontal) =>
        Par.For(planes, PlaneParts.For((long)planes * h * w), new Forwards(y, x, h, w, horizontal));

    // Forward over the planes p in [p0, p1)
    private readonly struct Forwards(float[] y, float[] x, int h, int w, bool horizontal) : IRangeBody
    {
        public void Run(int p0, int p1)
        {
            for (int p = p0; p < p1; p++)
            {
                for (int i = 0; i < h; i++)
                {
                    int o = (p * h + i) * w;
                    if (horizontal)
                    {
                        for (int j = 0; j < w - 1; j++) y[o + j] = x[o + j + 1] - x[o + j];
                        y[o + w - 1] = 0f;
                    }
                    else if (i < h - 1)
                    {
                        for (int j = 0; j < w; j++) y[o + j] = x[o + w + j] - x[o + j];
                    }
                    else
                    {
                        Array.Clear(y, o, w);
                    }
                }
            }
        }
    }

    // dX[next] += dY[i, j];  dX[i, j] −= dY[i, j]   (next = (i, j+1) or (i+1, j); the zero border sends nothing)
    public static void Backward(float[] dX, float[] dY, int planes, int h, int w, bool horizontal) =>
        Par.For(planes, PlaneParts.For((long)planes * h * w), new Backwards(dX, dY, h, w, horizontal));

    // Backward over the planes p in [p0, p1)
    private readonly struct Backwards(float[] dX, float[] dY, int h, int w, bool horizontal) : IRangeBody
    {
        public void Run(int p0, int p1)
        {
            for (int p = p0; p < p1; p++)
            {
                for (int i = 0; i < h; i++)
                {
                    int o = (p * h + i) * w;
                    if (horizontal)
                    {
                        for (int j = 0; j < w - 1; j++)
                        {
                            dX[o + j + 1] += dY[o + j];
                            dX[o + j] -= dY[o + j];
                        }
                    }
                    else if (i < h - 1)
                    {
                        for (int j = 0; j < w; j++)
                        {
                            dX[o + w + j] += dY[o + j];
                            dX[o + j] -= dY[o + j];
                        }
                    }
                }
            }
        }
    }
}
