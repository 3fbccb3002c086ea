namespace Hush.Denoising.Methods.Noise2Fast;

/// <summary>Noise2Fast's own settings, the official code's (docs/methods/noise2fast.md). The Adam rate (1e-3) is the
/// run's <see cref="DenoiseOptions.LearningRate"/>; <see cref="DenoiseOptions.Iterations"/> only caps the run, which
/// normally ends by its own stopping rule.</summary>
public sealed record Noise2FastOptions : MethodOptions
{
    /// <summary>Training stops once more than this many steps in a row have not improved the score −MSE(noisy,
    /// prediction) (the official <c>tsince</c>, 100), ≥ 0.</summary>
    public int Patience { get; init; } = 100;

    /// <summary>Full-image predictions averaged for the output: the official code's 105-entry buffer of the
    /// predictions before the last step, ≥ 1.</summary>
    public int Buffer { get; init; } = 105;

    /// <summary>Retrain a channel once at a learning rate of 5e-6 when its result is nearly constant (at most 25
    /// interior pixels more than half a grey level above the mean), as the official code does.</summary>
    public bool Fallback { get; init; } = true;

    /// <inheritdoc/>
    public override void Validate(int iterations)
    {
        Check(Patience >= 0, $"patience must be ≥ 0, got {Patience}");
        Check(Buffer >= 1, $"buffer must be ≥ 1, got {Buffer}");
    }
}
