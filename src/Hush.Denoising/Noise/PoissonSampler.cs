using Hush.Engine;

namespace Hush.Denoising.Noise;

/// <summary>Exact Poisson variates: Knuth's product method for small means, Hörmann's PTRS
/// (transformed rejection with squeeze, 1993) for means ≥ 10, where the product method gets slow and
/// loses precision.</summary>
internal static class PoissonSampler
{
    public static long Sample(Rng rng, double mean)
    {
        if (mean <= 0) return 0;
        return mean < 10 ? SampleKnuth(rng, mean) : SamplePtrs(rng, mean);
    }

    private static long SampleKnuth(Rng rng, double mean)
    {
        double limit = Math.Exp(-mean), product = 1;
        long k = -1;
        do { k++; product *= rng.NextDouble(); } while (product > limit);
        return k;
    }

    private static long SamplePtrs(Rng rng, double mean)
    {
        double logMean = Math.Log(mean);
        double b = 0.931 + 2.53 * Math.Sqrt(mean);
        double a = -0.059 + 0.02483 * b;
        double invAlpha = 1.1239 + 1.1328 / (b - 3.4);
        double vr = 0.9277 - 3.6224 / (b - 2);
        while (true)
        {
            double u = rng.NextDouble() - 0.5;
            double v = rng.NextDouble();
            double us = 0.5 - Math.Abs(u);
            long k = (long)Math.Floor((2 * a / us + b) * u + mean + 0.43);
            if (us >= 0.07 && v <= vr) return k;
            if (k < 0 || (us < 0.013 && v > us)) continue;
            double lhs = Math.Log(v * invAlpha / (a / (us * us) + b));
            double rhs = -mean + k * logMean - LogFactorial(k);
            if (lhs <= rhs) return k;
        }
    }

    private static double LogFactorial(long k)
    {
        if (k < 2) return 0;
        // Stirling series; exact enough (error < 1e-10) for k ≥ 10, summed directly below that.
        if (k < 10)
        {
            double s = 0;
            for (long i = 2; i <= k; i++) s += Math.Log(i);
            return s;
        }
        double x = k + 1.0;
        return (x - 0.5) * Math.Log(x) - x + 0.5 * Math.Log(2 * Math.PI)
            + 1.0 / (12 * x) - 1.0 / (360 * x * x * x) + 1.0 / (1260 * Math.Pow(x, 5));
    }
}
