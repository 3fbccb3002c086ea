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

    /// <summary>Re-freezes the proxies x̂ from the current model before every K-th stage-2 step (steps K, 2K, … counted
    /// from 0); 0 freezes them once, from the stage-1 model (the default reading).</summary>
    public int ProxyRefresh { get; init; }

    /// <summary>Which branch the trace term is taken on: the denoised output (default) or the noise predictor g.</summary>
    public LotaTraceBranch TraceBranch { get; init; } = LotaTraceBranch.Output;

    /// <summary>Which sub-image's proxy each trace term measures the prediction's error about (default: its own).</summary>
    public LotaTracePairing TracePairing { get; init; } = LotaTracePairing.Mutual;

    /// <summary>How λ evolves over stage 2: constant (default) or a linear ramp from 0.</summary>
    public LotaLambdaSchedule LambdaSchedule { get; init; } = LotaLambdaSchedule.Constant;

    /// <summary>λ at stage-2 step <paramref name="fineTuneStep"/> (0-based): <see cref="TraceWeight"/>, or under the ramp
    /// λ·k/(N2 − 1), 0 at the first step and λ at the last (λ for a single step).</summary>
    internal float TraceWeightAt(int fineTuneStep) =>
        LambdaSchedule == LotaLambdaSchedule.Ramp && FineTuneIterations > 1
            ? TraceWeight * fineTuneStep / (FineTuneIterations - 1)
            : TraceWeight;

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
        Check(ProxyRefresh >= 0, $"LoTA proxy refresh must be >= 0 (0 = frozen once), got {ProxyRefresh}");
        Check(Enum.IsDefined(TraceBranch) && Enum.IsDefined(TracePairing) && Enum.IsDefined(LambdaSchedule),
            $"LoTA trace reading out of range: {TraceBranch}, {TracePairing}, {LambdaSchedule}");
    }
}
