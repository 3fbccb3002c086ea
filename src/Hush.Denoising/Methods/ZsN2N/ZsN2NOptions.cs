namespace Hush.Denoising.Methods.ZsN2N;

/// <summary>ZS-N2N's own settings: the published learning-rate schedule (Adam from the run's learning rate, 1e-3 by
/// default, halved every 1000 steps; docs/methods/zs-n2n.md).</summary>
public sealed record ZsN2NOptions : MethodOptions, IStepSchedule<ZsN2NOptions>
{
    /// <summary>Steps between learning-rate decays (PyTorch StepLR's step_size).</summary>
    public int LearningRateStep { get; init; } = 1000;

    /// <summary>Multiplicative decay applied every <see cref="LearningRateStep"/> steps, in (0, 1].</summary>
    public float LearningRateGamma { get; init; } = 0.5f;

    ZsN2NOptions IStepSchedule<ZsN2NOptions>.WithStep(int step) => this with { LearningRateStep = step };

    ZsN2NOptions IStepSchedule<ZsN2NOptions>.WithGamma(float gamma) => this with { LearningRateGamma = gamma };

    /// <inheritdoc/>
    public override void Validate(int iterations) => ValidateSchedule(LearningRateStep, LearningRateGamma);

    /// <summary>The checks of a step schedule (LoTA-N2N's stage 1 has the same one).</summary>
    internal static void ValidateSchedule(int step, float gamma)
    {
        Check(step >= 1, $"learning-rate step must be ≥ 1, got {step}");
        Check(gamma > 0 && gamma <= 1, $"learning-rate gamma must be in (0,1], got {gamma}");
    }
}
