using Hush.Imaging;

namespace Hush.Denoising.Noise;

/// <summary>The noise estimates of one image, as <c>hush info --noise</c> reports them. σ values and (a, b) are in the
/// image's [0,1] units.</summary>
/// <param name="SigmaPerChannel">Gaussian σ of each colour channel.</param>
/// <param name="Sigma">One σ for the image: the median of <paramref name="SigmaPerChannel"/>.</param>
/// <param name="PoissonA">Signal-dependent term a of var(y | x) = a·x + b, or null when the image has too few
/// unclipped blocks for the fit.</param>
/// <param name="PoissonB">Signal-independent term b, null with <paramref name="PoissonA"/>.</param>
public sealed record NoiseLevelReport(double[] SigmaPerChannel, double Sigma, double? PoissonA, double? PoissonB)
{
    /// <summary>Estimates σ per channel and a Poisson–Gaussian model pooled over the channels (see
    /// <see cref="NoiseEstimation.PoissonGaussian(Image)"/>).</summary>
    /// <exception cref="ArgumentException">The image is too small for the Gaussian estimate.</exception>
    public static NoiseLevelReport Estimate(Image image)
    {
        var perChannel = NoiseEstimation.GaussianSigmaPerChannel(image);
        double? a = null, b = null;
        try
        {
            (a, b) = NoiseEstimation.PoissonGaussian(image);
        }
        catch (ArgumentException)
        {
            // The σ estimate stands on its own; the fit simply has nothing to say about a mostly clipped image.
        }
        return new NoiseLevelReport(perChannel, NoiseEstimation.Median(perChannel), a, b);
    }
}
