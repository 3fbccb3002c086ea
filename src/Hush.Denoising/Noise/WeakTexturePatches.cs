namespace Hush.Denoising.Noise;

/// <summary>Picks the patches of a plane whose texture is weak enough to pass for noise, and gives the covariance of
/// those alone (the weak-texture selection of Liu, Tanaka and Okutomi, "Single-image noise level estimation for blind
/// denoising", IEEE TIP 2013, feeding the eigenvalue split of Chen, Zhu and Heng).</summary>
/// <remarks>A patch's texture is its gradient energy: the sum of squared differences between horizontal and vertical
/// neighbours inside it. For pure noise of variance σ² that is a quadratic form σ²·zᵀLz in white noise z, with L the
/// Laplacian of the p×p grid graph, so its mean is σ²·tr L and its variance 2σ⁴·tr L². A patch is kept when its energy
/// is below the 99th percentile of that distribution (a gamma distribution of the same mean and variance, through the
/// Wilson–Hilferty cube-root approximation). Texture the patch subspace cannot absorb, which at low σ lifts even the
/// smallest eigenvalues of the whole-image covariance, is left out, while only 1 % of pure-noise patches are.</remarks>
internal static class WeakTexturePatches
{
    /// <summary>Upper 1 % point of the standard normal distribution.</summary>
    private const double Z99 = 2.3263478740408408;

    /// <summary>Patches accumulated at most, taken evenly from the kept ones in scan order, to bound the work.</summary>
    private const int MaxAccumulated = 40_000;

    /// <summary>Gradient energy of the patch at every origin, row-major over the (W − p + 1)×(H − p + 1) origins.</summary>
    public static double[] GradientEnergy(ReadOnlySpan<float> plane, int width, int height, int patch)
    {
        int originsX = width - patch + 1, originsY = height - patch + 1, stride = width + 1;
        // Integral images of squared right-neighbour and down-neighbour differences (zero past the last column / row).
        var horizontal = new double[(long)stride * (height + 1)];
        var vertical = new double[(long)stride * (height + 1)];
        for (int y = 0; y < height; y++)
        {
            double rowH = 0, rowV = 0;
            for (int x = 0; x < width; x++)
            {
                double v = plane[y * width + x];
                if (x + 1 < width) { double d = plane[y * width + x + 1] - v; rowH += d * d; }
                if (y + 1 < height) { double d = plane[(y + 1) * width + x] - v; rowV += d * d; }
                horizontal[(y + 1) * stride + x + 1] = horizontal[y * stride + x + 1] + rowH;
                vertical[(y + 1) * stride + x + 1] = vertical[y * stride + x + 1] + rowV;
            }
        }
        var energy = new double[originsX * originsY];
        for (int oy = 0; oy < originsY; oy++)
            for (int ox = 0; ox < originsX; ox++)
                energy[oy * originsX + ox] = BoxSum(horizontal, stride, oy, ox, patch, patch - 1)
                                             + BoxSum(vertical, stride, oy, ox, patch - 1, patch);
        return energy;
    }

    /// <summary>The gradient energy that pure noise of variance <paramref name="variance"/> stays below in 99 % of
    /// p×p patches.</summary>
    public static double Threshold(double variance, int patch)
    {
        // Degrees in the p×p grid graph: tr L = Σ deg, tr L² = Σ deg² + Σ deg.
        double traceL = 0, traceL2 = 0;
        for (int y = 0; y < patch; y++)
            for (int x = 0; x < patch; x++)
            {
                int degree = (x > 0 ? 1 : 0) + (x < patch - 1 ? 1 : 0) + (y > 0 ? 1 : 0) + (y < patch - 1 ? 1 : 0);
                traceL += degree;
                traceL2 += degree * degree + degree;
            }
        double shape = traceL * traceL / (2 * traceL2), scale = 2 * variance * traceL2 / traceL;
        // 2·Gamma(k, θ)/θ is χ² with 2k degrees of freedom; Wilson–Hilferty gives its quantile.
        double nu = 2 * shape, h = 2 / (9 * nu);
        double chiSquare = nu * Math.Pow(1 - h + Z99 * Math.Sqrt(h), 3);
        return chiSquare * scale / 2;
    }

    /// <summary>Covariance (row-major p²×p²) of the patches whose energy is at most <paramref name="threshold"/>, and
    /// how many there were; null when fewer than <paramref name="minimum"/> qualify.</summary>
    public static (double[] Covariance, int Count)? Covariance(ReadOnlySpan<float> plane, int width, double[] energy, int patch,
        double threshold, long minimum)
    {
        int originsX = width - patch + 1, dims = patch * patch;
        int kept = 0;
        foreach (double e in energy) if (e <= threshold) kept++;
        if (kept < minimum) return null;

        int step = Math.Max(1, (kept + MaxAccumulated - 1) / MaxAccumulated);
        var sums = new double[dims];
        var products = new double[dims * dims];
        var vector = new double[dims];
        int seen = 0, used = 0;
        for (int origin = 0; origin < energy.Length; origin++)
        {
            if (energy[origin] > threshold || seen++ % step != 0) continue;
            int oy = origin / originsX, ox = origin % originsX;
            for (int py = 0; py < patch; py++)
                for (int px = 0; px < patch; px++)
                    vector[py * patch + px] = plane[(oy + py) * width + ox + px];
            for (int k = 0; k < dims; k++)
            {
                double vk = vector[k];
                sums[k] += vk;
                int row = k * dims;
                for (int l = k; l < dims; l++) products[row + l] += vk * vector[l];
            }
            used++;
        }
        // Patch values are in [0,1] and centred afterwards; in double the cancellation costs about 1e-12 of σ².
        for (int k = 0; k < dims; k++)
            for (int l = k; l < dims; l++)
            {
                double c = products[k * dims + l] / used - sums[k] / used * (sums[l] / used);
                products[k * dims + l] = c;
                products[l * dims + k] = c;
            }
        return (products, kept);
    }

    private static double BoxSum(double[] integral, int stride, int top, int left, int rows, int columns) =>
        integral[(top + rows) * stride + left + columns] - integral[top * stride + left + columns]
        - integral[(top + rows) * stride + left] + integral[top * stride + left];
}
