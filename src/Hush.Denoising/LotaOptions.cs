namespace Hush.Denoising;

/// <summary>
/// Settings of LoTA-N2N's second stage (methods.md §2). The paper's λ, iteration counts and learning rates were
/// not recoverable (no code was released); every default here is PROVISIONAL, taken from the specification's
/// suggestion (stage 1 = the ZS-N2N schedule for 2000 steps, stage 2 = 1000 steps at lr 5e-4, λ = 1), until a
/// sweep on the development data replaces them (see bench/RESULTS.md).
/// </summary>
public sealed record LotaOptions
{
    /// <summary>Stage-2 (trace-constrained fine-tuning) steps, run after the <see cref="DenoiseOptions.Iterations"/>
    /// ZS-N2N steps of stage 1: a run costs (Iterations + FineTuneIterations) / Iterations of a ZS-N2N run.</summary>
    public int FineTuneIterations { get; init; } = 1000;

    /// <summary>λ_tr: weight of ½(|T12| + |T21|) in the stage-2 loss.</summary>
    public float TraceWeight { get; init; } = 1f;

    /// <summary>Side of the square patches over which each trace term's magnitude is taken (the paper's later,
    /// "local" variant: positive and negative regions cannot cancel); 0 takes one global term per pair.</summary>
    public int PatchSize { get; init; }

    /// <summary>Stage-2 learning rate (constant; a fresh Adam).</summary>
    public float FineTuneLearningRate { get; init; } = 5e-4f;

    internal void Validate()
    {
        if (FineTuneIterations < 0)
            throw new ArgumentException($"LoTA fine-tune iterations must be >= 0, got {FineTuneIterations}");
        if (!(TraceWeight >= 0) || float.IsInfinity(TraceWeight))
            throw new ArgumentException($"LoTA trace weight must be a finite number >= 0, got {TraceWeight}");
        if (PatchSize < 0) throw new ArgumentException($"LoTA patch size must be >= 0, got {PatchSize}");
        if (!(FineTuneLearningRate > 0) || float.IsInfinity(FineTuneLearningRate))
            throw new ArgumentException($"LoTA fine-tune learning rate must be a finite number > 0, got {FineTuneLearningRate}");
    }
}
