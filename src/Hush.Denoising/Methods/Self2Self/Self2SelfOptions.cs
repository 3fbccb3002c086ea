namespace Hush.Denoising.Methods.Self2Self;

/// <summary>The original Self2Self's settings, the official code's (docs/methods/self2self.md). The Adam rate (1e-4,
/// constant) is the run's <see cref="DenoiseOptions.LearningRate"/>.</summary>
public sealed record Self2SelfOptions : MethodOptions
{
    /// <summary>Probability that an input sample (one channel of one pixel) is dropped, in (0, 1) (keep 0.7).</summary>
    public float MaskProbability { get; init; } = 0.3f;

    /// <summary>Decoder dropout rate, in [0, 1); active while predicting too.</summary>
    public float DropoutRate { get; init; } = 0.3f;

    /// <summary>Stochastic passes averaged for the prediction (each with a fresh flip, mask and dropout), ≥ 1.</summary>
    public int Passes { get; init; } = 100;

    /// <inheritdoc/>
    public override void Validate(int iterations)
    {
        Check(MaskProbability > 0f && MaskProbability < 1f, $"mask probability must be in (0, 1), got {MaskProbability}");
        Check(DropoutRate >= 0f && DropoutRate < 1f, $"dropout rate must be in [0, 1), got {DropoutRate}");
        Check(Passes >= 1, $"passes must be ≥ 1, got {Passes}");
    }
}
