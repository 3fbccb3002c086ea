using Hush.Denoising.Methods.ZsN2N;

namespace Hush.Denoising.Methods.LotaN2N;

/// <summary>
/// LoTA-N2N's settings: stage 1 is ZS-N2N with its step schedule, stage 2 the trace-constrained fine-tuning. The paper
/// released no code and gives neither λ, nor iteration counts, nor learning rates, so the stage-2 defaults are Hush's
/// choice, the setting that never did worse than ZS-N2N in the measured sweep: the complete ZS-N2N schedule as stage 1
/// (the method's default 4000 iterations = 3000 + 1000), then 1000 steps at 1.25e-4 (the next step of ZS-N2N's own
/// halving) with λ = 10 over 8×8 patches. It stayed within 0.06 dB of ZS-N2N on every image measured; no setting tried
/// reached the paper's gain (docs/methods/lota-n2n.md, "Choices and their measurements").
/// </summary>
public sealed record LotaN2NOptions : MethodOptions, IStepSchedule<LotaN2NOptions>
{
    /// <summary>Stage 1's steps between learning-rate halvings (ZS-N2N's schedule).</summary>
    public int LearningRateStep { get; init; } = 1000;

    /// <summary>Stage 1's decay factor every <see cref="LearningRateStep"/> steps.</summary>
    public float LearningRateGamma { get; init; } = 0.5f;

    /// <summary>Stage-2 (trace-constrained fine-tuning) steps, taken out of <see cref="DenoiseOptions.Iterations"/>:
    /// stage 1 runs Iterations − FineTuneIterations ZS-N2N steps, so a run costs what a ZS-N2N run of the same
    /// Iterations costs, and `--iterations N` compares methods at equal time.</summary>
    public int FineTuneIterations { get; init; } = 1000;

    /// <summary>λ_tr: weight of ½(|T12| + |T21|) in the stage-2 loss.</summary>
    public float TraceWeight { get; init; } = 10f;

    /// <summary>Side of the square patches over which each trace term's magnitude is taken (the paper's later,
    /// "local" variant: positive and negative regions cannot cancel); 0 takes one global term per pair.</summary>
    public int PatchSize { get; init; } = 8;

    /// <summary>Stage-2 learning rate (constant; a fresh Adam).</summary>
    public float FineTuneLearningRate { get; init; } = 1.25e-4f;

    LotaN2NOptions IStepSchedule<LotaN2NOptions>.WithStep(int step) => this with { LearningRateStep = step };

    LotaN2NOptions IStepSchedule<LotaN2NOptions>.WithGamma(float gamma) => this with { LearningRateGamma = gamma };

    /// <inheritdoc/>
    public override void Validate(int iterations)
    {
        ZsN2NOptions.ValidateSchedule(LearningRateStep, LearningRateGamma);
        Check(FineTuneIterations >= 0 && FineTuneIterations < iterations,
            $"LoTA fine-tune iterations must be in [0, {iterations}), got {FineTuneIterations}");
        Check(FiniteAtLeast(TraceWeight, 0), $"LoTA trace weight must be a finite number >= 0, got {TraceWeight}");
        Check(PatchSize >= 0, $"LoTA patch size must be >= 0, got {PatchSize}");
        Check(FiniteAtLeast(FineTuneLearningRate, 0) && FineTuneLearningRate > 0,
            $"LoTA fine-tune learning rate must be a finite number > 0, got {FineTuneLearningRate}");
    }
}
