namespace Hush.Engine.Kernels;

/// <summary>
/// ZS-N2N's pair downsampler as one kernel: each 2×2 block of x gives one pixel of two half-size images,
/// the mean of its anti-diagonal (first half of the batch) and of its main diagonal (second half). The two images
/// share no input pixel, so independent noise stays independent. Plain loops: pure data movement, its own reference.
/// Shapes: x [N, C, H, W] → y [2N, C, ⌊H/2⌋, ⌊W/2⌋]; y[n] = anti-diagonal(x[n]), y[N + n] = main-diagonal(x[n]).
/// </summary>
internal static class DiagonalPairs
{
    // y[n, c, i, j] = ½x[n, c, 2i, 2j+1] + ½x[n, c, 2i+1, 2j];  y[N+n, c, i, j] = ½x[n, c, 2i, 2j] + ½x[n, c, 2i+1, 2j+1]
    // (the same products and sum order as the depth-wise 2×2 stride-2 convolution it replaces, so the same bits)
    public static void Forward(float[] y, float[] x, int n, int c, int h, int w)
    {
        Par.For(n * c, new ForwardPlanes(y, x, n * c, h, w));
    }

    // Forward over the planes (n, c) in [p0, p1)
    private readonly struct ForwardPlanes(float[] y, float[] x, int planes, int h, int w) : IRangeBody
    {
        public void Run(int p0, int p1)
        {
            int ho = h / 2, wo = w / 2;
            for (int p = p0; p < p1; p++)
            {
                int anti = p * ho * wo, main = (planes + p) * ho * wo, src = p * h * w;
                for (int i = 0; i < ho; i++)
                {
                    int top = src + 2 * i * w, bottom = top + w, o = i * wo;
                    for (int j = 0; j < wo; j++)
                    {
                        y[anti + o + j] = 0.5f * x[top + 2 * j + 1] + 0.5f * x[bottom + 2 * j];
                        y[main + o + j] = 0.5f * x[top + 2 * j] + 0.5f * x[bottom + 2 * j + 1];
                    }
                }
            }
        }
    }

    // dx[n, c, 2i, 2j+1] += ½dy[n, c, i, j], dx[n, c, 2i+1, 2j] += ½dy[n, c, i, j],
    // dx[n, c, 2i, 2j] += ½dy[N+n, c, i, j], dx[n, c, 2i+1, 2j+1] += ½dy[N+n, c, i, j]  (dropped odd edges get nothing)
    public static void Backward(float[] dx, float[] dy, int n, int c, int h, int w)
    {
        Par.For(n * c, new BackwardPlanes(dx, dy, n * c, h, w));
    }

    // Backward over the planes (n, c) in [p0, p1)
    private readonly struct BackwardPlanes(float[] dx, float[] dy, int planes, int h, int w) : IRangeBody
    {
        public void Run(int p0, int p1)
        {
            int ho = h / 2, wo = w / 2;
            for (int p = p0; p < p1; p++)
            {
                int anti = p * ho * wo, main = (planes + p) * ho * wo, dst = p * h * w;
                for (int i = 0; i < ho; i++)
                {
                    int top = dst + 2 * i * w, bottom = top + w, o = i * wo;
                    for (int j = 0; j < wo; j++)
                    {
                        float a = 0.5f * dy[anti + o + j], m = 0.5f * dy[main + o + j];
                        dx[top + 2 * j] += m;
                        dx[top + 2 * j + 1] += a;
                        dx[bottom + 2 * j] += a;
                        dx[bottom + 2 * j + 1] += m;
                    }
                }
            }
        }
    }
}
