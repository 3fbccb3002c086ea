namespace Hush.Denoising;

/// <summary>
/// Settings of LoTA-N2N's second stage (methods.md §2). The paper's λ, iteration counts and learning rates were
/// not recoverable (no code was released), so NONE of these defaults is the paper's. They were chosen here by a
/// sweep on the development data (the first four zsn2n-kodak256 crops, 128×128 centres, σ=25 and σ=50; table and
/// command in bench/RESULTS.md): 1000 of the run's iterations as stage 2 (the split the specification suggests),
/// stage-2 lr 5e-4, λ = 10 over 8×8 patches (the paper's later patch-wise variant) had the best mean of the
/// settings tried, but its margin over ZS-N2N was within seed-to-seed noise; see the README.
/// </summary>
public sealed record LotaOptions
{
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
    public float FineTuneLearningRate { get; init; } = 5e-4f;

    internal void Validate(int iterations)
    {
        if (FineTuneIterations < 0 || FineTuneIterations >= iterations)
            throw new ArgumentException($"LoTA fine-tune iterations must be in [0, {iterations}), got {FineTuneIterations}");
        if (!(TraceWeight >= 0) || float.IsInfinity(TraceWeight))
            throw new ArgumentException($"LoTA trace weight must be a finite number >= 0, got {TraceWeight}");
        if (PatchSize < 0) throw new ArgumentException($"LoTA patch size must be >= 0, got {PatchSize}");
        if (!(FineTuneLearningRate > 0) || float.IsInfinity(FineTuneLearningRate))
            throw new ArgumentException($"LoTA fine-tune learning rate must be a finite number > 0, got {FineTuneLearningRate}");
    }
}
