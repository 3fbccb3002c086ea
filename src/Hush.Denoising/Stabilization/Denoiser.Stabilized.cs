using Hush.Denoising.Noise;
using Hush.Denoising.Stabilization;
using Hush.Imaging;

namespace Hush.Denoising;

public sealed partial class Denoiser
{
    /// <summary>The stabilizer <see cref="DenoiseOptions.VarianceStabilization"/> asks for on <paramref name="noisy"/>, or null.
    /// Auto stabilizes only noise the report classes as Poisson–Gaussian.</summary>
    private VarianceStabilizer? StabilizerFor(Image noisy, Lazy<NoiseLevelReport?> report) => Options.VarianceStabilization switch
    {
        VarianceStabilization.Anscombe => VarianceStabilizer.Estimate(noisy),
        VarianceStabilization.Auto when report.Value?.Kind == NoiseKind.PoissonGaussian => VarianceStabilizer.Estimate(noisy),
        _ => null,
    };

    private static string StabilizedNoise(VarianceStabilizer s, string? inner) => FormattableString.Invariant(
        $"Poisson–Gaussian a {s.A:G4}, b {s.B:G4} (estimated), stabilized by the generalized Anscombe transform to σ {255 * s.Sigma:0.##}/255")
        + (inner is null ? "" : $"; {inner}");
}
