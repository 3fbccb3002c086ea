namespace Hush.Denoising.Methods.Blind2Grad;

/// <summary>Blind2Grad's real-noise form as one preset: the paper's real-noise hyper-parameters (ω = 0.5, γ = 0.5,
/// Adam at 1e-5) and a dilated full-resolution convolution (d = 2, a choice: docs/methods/blind2grad.md).</summary>
internal static class Blind2GradRealNoise
{
    /// <summary>The paper's real-noise learning rate.</summary>
    public const float LearningRate = 1e-5f;

    /// <summary>The dilation the preset sets.</summary>
    public const int Dilation = 2;

    /// <summary>Largest dilation: the encoder's full-resolution map is at least 32 pixels a side, and a 3×3 kernel
    /// dilated by 8 already spans 17 of them.</summary>
    public const int MaxDilation = 8;

    private static readonly Blind2GradOptions Defaults = new();

    /// <summary>On: the preset's values; off: the synthetic-noise defaults of the same settings.</summary>
    public static Blind2GradOptions Apply(Blind2GradOptions o, bool on) => on
        ? o with { RealNoise = true, Omega = 0.5f, Gamma = 0.5f, Dilation = Dilation }
        : o with { RealNoise = false, Omega = Defaults.Omega, Gamma = Defaults.Gamma, Dilation = Defaults.Dilation };
}
