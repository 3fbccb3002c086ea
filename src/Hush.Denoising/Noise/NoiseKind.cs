namespace Hush.Denoising.Noise;

/// <summary>What kind of noise an image carries, as <see cref="NoiseLevelReport"/> classifies it.</summary>
public enum NoiseKind
{
    /// <summary>Independent from pixel to pixel and of the same variance everywhere: additive white Gaussian noise,
    /// the synthetic benchmarks' noise.</summary>
    Gaussian,

    /// <summary>Independent from pixel to pixel, its variance growing with the signal: photon-limited data such as
    /// fluorescence micrographs and raw sensor values (var = a·x + b with the a·x part dominant).</summary>
    PoissonGaussian,

    /// <summary>Spread over neighbouring pixels: camera sRGB noise after demosaicing and in-camera processing. Methods
    /// that assume pixel-independent noise (pair downsampling, blind spots) learn it as signal unless the image is first
    /// subsampled at a stride the correlation does not reach.</summary>
    Correlated,
}
