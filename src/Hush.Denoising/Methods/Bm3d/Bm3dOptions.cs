namespace Hush.Denoising.Methods.Bm3d;

/// <summary>Which of the reference implementation's parameter sets BM3D runs (docs/methods/bm3d.md).</summary>
public enum Bm3dProfile
{
    /// <summary>The normal profile up to σ = 40 and the "vn" set above it, as the reference MATLAB code switches.</summary>
    Auto,

    /// <summary>The normal profile ("np") at every σ.</summary>
    Normal,

    /// <summary>The strong-noise set ("vn": Hou et al.'s correction of the paper's σ &gt; 40 values) at every σ.</summary>
    Strong,
}

/// <summary>The noise BM3D is told to expect.</summary>
public enum Bm3dNoiseModel
{
    /// <summary>Additive white Gaussian noise of deviation σ.</summary>
    Gaussian,

    /// <summary>Poisson–Gaussian noise, var(y | x) = a·x + b (photon-limited data: microscopy, raw sensors): filtered
    /// after the generalized Anscombe transform and mapped back by its exact unbiased inverse.</summary>
    PoissonGaussian,
}

/// <summary>BM3D's settings (Dabov, Foi, Katkovnik &amp; Egiazarian, IEEE TIP 2007): the noise level and the profile. The
/// block sizes, steps, group sizes and thresholds follow from the profile (<see cref="Bm3dParameters"/>).</summary>
public sealed record Bm3dOptions : MethodOptions
{
    /// <summary>σ of the Gaussian noise (of its Gaussian part, under <see cref="Bm3dNoiseModel.PoissonGaussian"/>) on the
    /// 0–255 scale; 0 (the default) estimates it from the image.</summary>
    public float Sigma { get; init; }

    /// <summary>The noise model: Gaussian (the default), or Poisson–Gaussian, filtered after the generalized Anscombe transform.</summary>
    public Bm3dNoiseModel NoiseModel { get; init; } = Bm3dNoiseModel.Gaussian;

    /// <summary>The Poisson gain a of <see cref="Bm3dNoiseModel.PoissonGaussian"/> on the [0, 1] intensity scale (1/λ for
    /// Poisson noise of peak λ); 0 (the default) estimates it from the image.</summary>
    public float PoissonGain { get; init; }

    /// <summary>The parameter set: by σ (the default: normal up to σ = 40, strong above), normal or strong.</summary>
    public Bm3dProfile Profile { get; init; } = Bm3dProfile.Auto;

    /// <summary>Run the second (Wiener) stage on the basic estimate; off returns the hard-thresholding estimate.</summary>
    public bool Wiener { get; init; } = true;

    /// <inheritdoc/>
    public override void Validate(int iterations)
    {
        Check(FiniteAtLeast(Sigma, 0f), $"sigma must be a finite number ≥ 0 (0 = estimate), got {Sigma}");
        Check(System.Enum.IsDefined(Profile), $"unknown BM3D profile {Profile}");
        Check(System.Enum.IsDefined(NoiseModel), $"unknown BM3D noise model {NoiseModel}");
        Check(FiniteAtLeast(PoissonGain, 0f), $"poisson-gain must be a finite number ≥ 0 (0 = estimate), got {PoissonGain}");
    }
}
