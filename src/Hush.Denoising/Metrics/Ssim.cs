using Hush.Imaging;

namespace Hush.Denoising.Metrics;

/// <summary>Structural similarity, defined exactly as scikit-image's
/// <c>structural_similarity(gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=1)</c>:
/// local statistics from a separable Gaussian (σ=1.5, truncated at 3.5σ → 11 taps) with scipy's "reflect"
/// borders, K1=0.01, K2=0.03, the SSIM map averaged after cropping 5 pixels from each border, then averaged
/// over channels.</summary>
/// <remarks>Many denoising papers use other SSIM code (see docs/methods/README.md, "Evaluation protocol"); numbers are comparable only
/// with scikit-image's. Everything runs in float64 as scikit-image does.</remarks>
public static class Ssim
{
    private const double Sigma = 1.5;
    private const double Truncate = 3.5;
    private const double K1 = 0.01, K2 = 0.03;

    /// <summary>SSIM of two images of the same size and channels, averaged over the channels (the definition in the class summary).</summary>
    public static double Compute(Image test, Image reference)
    {
        MetricGuards.RequireSameShape(test, reference);
        double sum = 0;
        for (int c = 0; c < test.Channels; c++)
            sum += ComputePlane(test.Plane(c), reference.Plane(c), test.Width, test.Height);
        return sum / test.Channels;
    }

    /// <summary>SSIM of one plane (row-major, width×height).</summary>
    public static double ComputePlane(ReadOnlySpan<float> test, ReadOnlySpan<float> reference, int width, int height)
    {
        int radius = (int)(Truncate * Sigma + 0.5);
        int window = 2 * radius + 1;
        if (width < window || height < window)
            throw new ArgumentException($"SSIM needs at least {window}x{window} pixels, got {width}x{height}");

        double[] kernel = GaussianKernel(radius);
        int n = width * height;
        var x = new double[n];
        var y = new double[n];
        for (int i = 0; i < n; i++) { x[i] = test[i]; y[i] = reference[i]; }
        var xx = new double[n];
        var yy = new double[n];
        var xy = new double[n];
        for (int i = 0; i < n; i++) { xx[i] = x[i] * x[i]; yy[i] = y[i] * y[i]; xy[i] = x[i] * y[i]; }

        var scratch = new double[n];
        double[] ux = Blur(x, width, height, kernel, scratch);
        double[] uy = Blur(y, width, height, kernel, scratch);
        double[] uxx = Blur(xx, width, height, kernel, scratch);
        double[] uyy = Blur(yy, width, height, kernel, scratch);
        double[] uxy = Blur(xy, width, height, kernel, scratch);

        const double c1 = K1 * K1, c2 = K2 * K2; // data range 1
        double total = 0;
        int count = 0;
        for (int r = radius; r < height - radius; r++)
        {
            for (int col = radius; col < width - radius; col++)
            {
                int i = r * width + col;
                double vx = uxx[i] - ux[i] * ux[i];
                double vy = uyy[i] - uy[i] * uy[i];
                double vxy = uxy[i] - ux[i] * uy[i];
                double a1 = 2 * ux[i] * uy[i] + c1, a2 = 2 * vxy + c2;
                double b1 = ux[i] * ux[i] + uy[i] * uy[i] + c1, b2 = vx + vy + c2;
                total += a1 * a2 / (b1 * b2);
                count++;
            }
        }
        return total / count;
    }

    private static double[] GaussianKernel(int radius)
    {
        var k = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++)
        {
            k[i + radius] = Math.Exp(-0.5 * i * i / (Sigma * Sigma));
            sum += k[i + radius];
        }
        for (int i = 0; i < k.Length; i++) k[i] /= sum;
        return k;
    }

    /// <summary>Separable Gaussian filter, rows then columns, with scipy.ndimage's "reflect" border
    /// (d c b a | a b c d | d c b a).</summary>
    private static double[] Blur(double[] src, int width, int height, double[] kernel, double[] tmp)
    {
        int radius = kernel.Length / 2;
        var dst = new double[src.Length];
        for (int r = 0; r < height; r++)
        {
            int row = r * width;
            for (int c = 0; c < width; c++)
            {
                double s = 0;
                for (int k = -radius; k <= radius; k++)
                    s += kernel[k + radius] * src[row + Reflect(c + k, width)];
                tmp[row + c] = s;
            }
        }
        for (int r = 0; r < height; r++)
        {
            for (int c = 0; c < width; c++)
            {
                double s = 0;
                for (int k = -radius; k <= radius; k++)
                    s += kernel[k + radius] * tmp[Reflect(r + k, height) * width + c];
                dst[r * width + c] = s;
            }
        }
        return dst;
    }

    private static int Reflect(int i, int n)
    {
        // scipy "reflect": the edge sample is repeated; indices fold back until in range.
        while (i < 0 || i >= n)
        {
            if (i < 0) i = -i - 1;
            if (i >= n) i = 2 * n - i - 1;
        }
        return i;
    }
}
