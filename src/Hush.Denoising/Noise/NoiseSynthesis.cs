using Hush.Engine;
using Hush.Imaging;

namespace Hush.Denoising.Noise;

/// <summary>Seeded synthetic noise, following the ZS-N2N notebook's protocol (docs/methods/README.md, "Evaluation protocol").</summary>
/// <remarks>Only colour channels are noised; alpha is carried through untouched. Samples are drawn in
/// planar order (channel, row, column) from one <see cref="Rng"/>, so a seed fixes the result.</remarks>
public static class NoiseSynthesis
{
    /// <summary>y = x + N(0, (σ/255)²), clipped to [0,1] unless <paramref name="clip"/> is false
    /// (an unclipped image cannot be stored in an integer file, so callers that save should clip).</summary>
    public static Image AddGaussian(Image clean, double sigma255, ulong seed, bool clip = true)
    {
        double sigma = Sigma(sigma255);
        return Noised(clean, seed, clip, (rng, _, x) => x + sigma * rng.NextGaussian());
    }

    /// <summary>y = Poisson(λ·x)/λ with λ the peak (photon count at intensity 1), clipped to [0,1] unless
    /// <paramref name="clip"/> is false. Smaller λ means stronger noise.</summary>
    public static Image AddPoisson(Image clean, double lambda, ulong seed, bool clip = true)
    {
        CheckPeak(lambda);
        return Noised(clean, seed, clip, (rng, _, x) => PoissonSampler.Sample(rng, lambda * Math.Max(0f, x)) / lambda);
    }

    /// <summary>Spatially varying Gaussian noise: y = x + N(0, (σ(r, c)/255)²) with σ rising linearly along the
    /// diagonal, from <paramref name="fromSigma255"/> at the top-left pixel to <paramref name="toSigma255"/> at the
    /// bottom-right one (σ = from + (to − from)·(r/(H−1) + c/(W−1))/2: smooth, and every level between the two appears
    /// along each anti-diagonal), the same map on every channel; clipped to [0,1] unless <paramref name="clip"/> is false.
    /// The regime of "spatially varying noise" in the LoTA-N2N text, which gives no map of its own.</summary>
    public static Image AddVaryingGaussian(Image clean, double fromSigma255, double toSigma255, ulong seed, bool clip = true)
    {
        Sigma(fromSigma255);
        Sigma(toSigma255);
        int w = clean.Width, h = clean.Height, plane = w * h;
        return Noised(clean, seed, clip, (rng, i, x) =>
        {
            int at = i % plane, r = at / w, c = at % w;
            double u = 0.5 * ((h > 1 ? (double)r / (h - 1) : 0) + (w > 1 ? (double)c / (w - 1) : 0));
            double sigma = (fromSigma255 + (toSigma255 - fromSigma255) * u) / 255.0;
            return x + sigma * rng.NextGaussian();
        });
    }

    /// <summary>Mixed Poisson–Gaussian noise: y = Poisson(λ·x)/λ + N(0, (σ/255)²), λ the peak and σ on the 0–255
    /// scale, drawn from one stream (the Poisson sample, then the Gaussian one, per value), clipped to [0,1] unless
    /// <paramref name="clip"/> is false: a camera or microscope sensor's shot noise plus its read noise.</summary>
    public static Image AddPoissonGaussian(Image clean, double lambda, double sigma255, ulong seed, bool clip = true)
    {
        CheckPeak(lambda);
        double sigma = Sigma(sigma255);
        return Noised(clean, seed, clip, (rng, _, x) =>
        {
            double v = PoissonSampler.Sample(rng, lambda * Math.Max(0f, x)) / lambda;
            return v + sigma * rng.NextGaussian();
        });
    }

    // y[i] = sample(rng, i, x[i]) for every value in planar order from one stream seeded by `seed`, clipped or not.
    private static Image Noised(Image clean, ulong seed, bool clip, Func<Rng, int, float, double> sample)
    {
        var rng = new Rng(seed);
        var src = clean.Data;
        var dst = new float[src.Length];
        for (int i = 0; i < src.Length; i++)
        {
            double v = sample(rng, i, src[i]);
            dst[i] = (float)(clip ? Math.Clamp(v, 0.0, 1.0) : v);
        }
        return clean.WithData(dst);
    }

    // σ on the [0, 1] scale of a σ given on the 0–255 one, which must be a finite number ≥ 0.
    private static double Sigma(double sigma255) => sigma255 >= 0 && !double.IsInfinity(sigma255) ? sigma255 / 255.0
        : throw new ArgumentOutOfRangeException(nameof(sigma255), sigma255, "σ must be a finite number ≥ 0");

    private static void CheckPeak(double lambda)
    {
        if (!(lambda > 0) || double.IsInfinity(lambda))
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "λ must be a finite number > 0");
    }
}
