namespace Hush.Denoising.Noise;

/// <summary>The covariance matrix of all overlapping p×p patches of a plane, each patch read as a vector of p² samples
/// (row-major inside the patch).</summary>
/// <remarks>Entry (k, l) sums x(q + k)·x(q + l) over every patch origin q, which is a box sum over the product image
/// x(r)·x(r + l − k). Patch element pairs with the same displacement l − k share one product image, so one integral
/// image per displacement (about p·(2p − 1) of them) gives every entry with four look-ups: O(p²·W·H) work instead of
/// O(p⁴·W·H) for accumulating outer products patch by patch. Sums run in double on samples centred on the plane's mean,
/// so the small eigenvalues that carry the noise are not lost to cancellation.</remarks>
internal static class PatchCovariance
{
    /// <summary>How many patch origins a <paramref name="width"/>×<paramref name="height"/> plane has for p×p patches.</summary>
    public static long PatchCount(int width, int height, int patch) =>
        width < patch || height < patch ? 0 : (long)(width - patch + 1) * (height - patch + 1);

    /// <summary>The p²×p² covariance (divided by the number of patches, not one less), row-major.</summary>
    public static double[] Compute(ReadOnlySpan<float> plane, int width, int height, int patch)
    {
        int dims = patch * patch;
        int originsX = width - patch + 1, originsY = height - patch + 1;
        double count = (double)originsX * originsY;

        double planeMean = 0;
        foreach (float v in plane) planeMean += v;
        planeMean /= plane.Length;
        var centred = new double[plane.Length];
        for (int i = 0; i < centred.Length; i++) centred[i] = plane[i] - planeMean;

        int stride = width + 1;
        var integral = new double[(long)stride * (height + 1)];

        // Means of each patch element over all origins (box sums of the centred plane).
        BuildIntegral(centred, width, height, 0, 0, integral, products: false);
        var means = new double[dims];
        for (int ky = 0; ky < patch; ky++)
            for (int kx = 0; kx < patch; kx++)
                means[ky * patch + kx] = BoxSum(integral, stride, ky, kx, originsY, originsX) / count;

        var covariance = new double[dims * dims];
        for (int dy = 0; dy < patch; dy++)
            for (int dx = -(patch - 1); dx < patch; dx++)
            {
                if (dy == 0 && dx < 0) continue; // the mirror displacement gives the transposed entries
                BuildIntegral(centred, width, height, dy, dx, integral, products: true);
                for (int ky = 0; ky + dy < patch; ky++)
                    for (int kx = Math.Max(0, -dx); kx < patch && kx + dx < patch; kx++)
                    {
                        int k = ky * patch + kx, l = (ky + dy) * patch + kx + dx;
                        double c = BoxSum(integral, stride, ky, kx, originsY, originsX) / count - means[k] * means[l];
                        covariance[k * dims + l] = c;
                        covariance[l * dims + k] = c;
                    }
            }
        return covariance;
    }

    // integral[(r)·stride + c] = Σ z over rows < r, columns < c, where z = x(y, x)·x(y + dy, x + dx) (zero where the
    // displaced sample falls outside the plane) or, without products, z = x.
    private static void BuildIntegral(double[] x, int width, int height, int dy, int dx, double[] integral, bool products)
    {
        int stride = width + 1;
        Array.Clear(integral, 0, stride);
        for (int y = 0; y < height; y++)
        {
            double rowSum = 0;
            int row = y * width, above = y * stride, here = (y + 1) * stride;
            integral[here] = 0;
            bool rowValid = y + dy < height;
            for (int c = 0; c < width; c++)
            {
                double z;
                if (!products) z = x[row + c];
                else if (rowValid && (uint)(c + dx) < (uint)width) z = x[row + c] * x[row + dy * width + c + dx];
                else z = 0;
                rowSum += z;
                integral[here + c + 1] = integral[above + c + 1] + rowSum;
            }
        }
    }

    private static double BoxSum(double[] integral, int stride, int top, int left, int rows, int columns) =>
        integral[(top + rows) * stride + left + columns] - integral[top * stride + left + columns]
        - integral[(top + rows) * stride + left] + integral[top * stride + left];
}
