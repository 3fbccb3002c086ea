using Hush.Engine;

namespace Hush.Denoising.Methods.Self2SelfPlus;

/// <summary>Re-corrupts a masked image with Poisson noise, x → Poisson(λ·x)/λ per sample (Self2Self's real-noise
/// input), by inversion of the Poisson CDF with one uniform draw per sample: sequential, so a seed gives the same draws
/// for any thread count.</summary>
internal static class PoissonRecorruption
{
    /// <summary>A new array Poisson(λ·x[i])/λ; samples ≤ 0 (masked or black) stay 0.</summary>
    public static float[] Apply(float[] x, float lambda, Rng rng)
    {
        var result = new float[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            double mean = lambda * (double)x[i];
            double u = rng.NextDouble(); // drawn for every sample, so the stream does not depend on the image
            result[i] = mean > 0 ? Sample(mean, u) / lambda : 0f;
        }
        return result;
    }

    /// <summary>The smallest k with P(K ≤ k) ≥ u for K ~ Poisson(mean); past the mode, the search stops where the
    /// terms no longer change the sum in double precision (a u within rounding of 1 would otherwise never be reached).</summary>
    internal static int Sample(double mean, double u)
    {
        double p = Math.Exp(-mean), cdf = p;
        int k = 0;
        while (u > cdf && (k < mean || p > 1e-17 * cdf))
        {
            k++;
            p *= mean / k;
            cdf += p;
        }
        return k;
    }
}
