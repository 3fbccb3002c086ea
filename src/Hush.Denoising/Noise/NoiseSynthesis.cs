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
        if (!(sigma255 >= 0) || double.IsInfinity(sigma255))
            throw new ArgumentOutOfRangeException(nameof(sigma255), sigma255, "σ must be a finite number ≥ 0");
        var rng = new Rng(seed);
        double sigma = sigma255 / 255.0;
        var src = clean.Data;
        var dst = new float[src.Length];
        for (int i = 0; i < src.Length; i++)
        {
            double v = src[i] + sigma * rng.NextGaussian();
            dst[i] = (float)(clip ? Math.Clamp(v, 0.0, 1.0) : v);
        }
        return clean.WithData(dst);
    }

    /// <summary>y = Poisson(λ·x)/λ with λ the peak (photon count at intensity 1), clipped to [0,1] unless
    /// <paramref name="clip"/> is false. Smaller λ means stronger noise.</summary>
    public static Image AddPoisson(Image clean, double lambda, ulong seed, bool clip = true)
    {
        if (!(lambda > 0) || double.IsInfinity(lambda))
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "λ must be a finite number > 0");
        var rng = new Rng(seed);
        var src = clean.Data;
        var dst = new float[src.Length];
        for (int i = 0; i < src.Length; i++)
        {
            double v = PoissonSampler.Sample(rng, lambda * Math.Max(0f, src[i])) / lambda;
            dst[i] = (float)(clip ? Math.Clamp(v, 0.0, 1.0) : v);
        }
        return clean.WithData(dst);
    }
}
