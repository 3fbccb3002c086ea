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
    /// <summary>Spatially varying Gaussian noise: y = x + N(0, (σ(r, c)/255)²) with σ rising linearly along the
    /// diagonal, from <paramref name="fromSigma255"/> at the top-left pixel to <paramref name="toSigma255"/> at the
    /// bottom-right one (σ = from + (to − from)·(r/(H−1) + c/(W−1))/2: smooth, and every level between the two appears
    /// along each anti-diagonal), the same map on every channel; clipped to [0,1] unless <paramref name="clip"/> is false.
    /// The regime of "spatially varying noise" in the LoTA-N2N text, which gives no map of its own.</summary>
    public static Image AddVaryingGaussian(Image clean, double fromSigma255, double toSigma255, ulong seed, bool clip = true)
    {
        foreach (double s in (double[])[fromSigma255, toSigma255])
            if (!(s >= 0) || double.IsInfinity(s))
                throw new ArgumentOutOfRangeException(nameof(fromSigma255), s, "σ must be a finite number ≥ 0");
        var rng = new Rng(seed);
        int w = clean.Width, h = clean.Height, plane = w * h;
        var src = clean.Data;
        var dst = new float[src.Length];
        for (int i = 0; i < src.Length; i++)
        {
            int at = i % plane, r = at / w, c = at % w;
            double u = 0.5 * ((h > 1 ? (double)r / (h - 1) : 0) + (w > 1 ? (double)c / (w - 1) : 0));
            double sigma = (fromSigma255 + (toSigma255 - fromSigma255) * u) / 255.0;
            double v = src[i] + sigma * rng.NextGaussian();
            dst[i] = (float)(clip ? Math.Clamp(v, 0.0, 1.0) : v);
        }
        return clean.WithData(dst);
    }

    /// <summary>Mixed Poisson–Gaussian noise: y = Poisson(λ·x)/λ + N(0, (σ/255)²), λ the peak and σ on the 0–255
    /// scale, drawn from one stream (the Poisson sample, then the Gaussian one, per value), clipped to [0,1] unless
    /// <paramref name="clip"/> is false: a camera or microscope sensor's shot noise plus its read noise.</summary>
    public static Image AddPoissonGaussian(Image clean, double lambda, double sigma255, ulong seed, bool clip = true)
    {
        if (!(lambda > 0) || double.IsInfinity(lambda))
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "λ must be a finite number > 0");
        if (!(sigma255 >= 0) || double.IsInfinity(sigma255))
            throw new ArgumentOutOfRangeException(nameof(sigma255), sigma255, "σ must be a finite number ≥ 0");
        var rng = new Rng(seed);
        double sigma = sigma255 / 255.0;
        var src = clean.Data;
        var dst = new float[src.Length];
        for (int i = 0; i < src.Length; i++)
        {
            double v = PoissonSampler.Sample(rng, lambda * Math.Max(0f, src[i])) / lambda;
            v += sigma * rng.NextGaussian();
            dst[i] = (float)(clip ? Math.Clamp(v, 0.0, 1.0) : v);
        }
        return clean.WithData(dst);
    }
}
