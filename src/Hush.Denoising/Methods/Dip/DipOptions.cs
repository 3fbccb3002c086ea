namespace Hush.Denoising.Methods.Dip;

/// <summary>Deep Image Prior's settings, those of the official denoising notebook's colour (F16) setting
/// (docs/methods/dip.md). The Adam rate (0.01, constant) is the run's <see cref="DenoiseOptions.LearningRate"/> and the
/// step count (3000) its <see cref="DenoiseOptions.Iterations"/>.</summary>
public sealed record DipOptions : MethodOptions
{
    /// <summary>Standard deviation of the fresh Gaussian added to the fixed input every step, ≥ 0 (the notebook's
    /// reg_noise_std: 1/30, "1/20 for σ=50").</summary>
    public float RegNoiseStd { get; init; } = 1f / 30f;

    /// <summary>Weight of the previous average in the output's exponential moving average, in [0, 1) (0.99).</summary>
    public float Ema { get; init; } = 0.99f;

    /// <summary>Roll the network back to its last saved weights when the output's PSNR against the noisy image falls by
    /// more than this many dB in one step (5); ≥ 0, null = never.</summary>
    public float? BacktrackDrop { get; init; } = 5f;

    /// <summary>Channels of the fixed noise input, ≥ 1 (32).</summary>
    public int InputDepth { get; init; } = 32;

    /// <inheritdoc/>
    public override void Validate(int iterations)
    {
        Check(FiniteAtLeast(RegNoiseStd, 0f), $"reg-noise-std must be a finite number ≥ 0, got {RegNoiseStd}");
        Check(Ema >= 0f && Ema < 1f, $"ema must be in [0, 1), got {Ema}");
        Check(BacktrackDrop is not float d || FiniteAtLeast(d, 0f), $"backtrack drop must be a finite number of dB ≥ 0 or off, got {BacktrackDrop}");
        Check(InputDepth >= 1, $"input depth must be ≥ 1, got {InputDepth}");
    }
}
