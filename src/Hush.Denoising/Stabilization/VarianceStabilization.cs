namespace Hush.Denoising;

/// <summary>Whether a single image's noise is variance-stabilized before denoising (<see cref="DenoiseOptions.VarianceStabilization"/>).</summary>
public enum VarianceStabilization
{
    /// <summary>Denoise the data as they are.</summary>
    Off,

    /// <summary>Stabilize when the noise report classes the noise as Poisson–Gaussian
    /// (<see cref="Noise.NoiseKind.PoissonGaussian"/>).</summary>
    Auto,

    /// <summary>Always stabilize with the estimated Poisson–Gaussian model (when it has a Poisson part).</summary>
    Anscombe,
}
