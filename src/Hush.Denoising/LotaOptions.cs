namespace Hush.Denoising;

/// <summary>
/// Settings of LoTA-N2N's second stage (methods.md §2). The paper's λ, iteration counts and learning rates were
/// not recoverable (no code was released), so NONE of these defaults is the paper's; they were chosen here
/// (tables and commands in bench/RESULTS.md, "LoTA-N2N"):
/// - A sweep on 128×128 centre crops of four Kodak images (σ=25/50) favoured the iteration-matched split (2000
///   ZS-N2N steps + 1000 at 5e-4, λ=10, 8×8 patches), but on the full 256×256 check set that split lost 0.13–0.17 dB
///   to ZS-N2N (σ=25/50, Poisson 30/50), and every stage-2 lr ≥ 5e-4 after a complete stage 1 lost 0.07–0.2 dB.
/// - The defaults are therefore the setting that never did worse: the complete ZS-N2N schedule as stage 1
///   (DenoiseOptions.DefaultIterations gives lota-n2n 4000 = 3000 + 1000), then 1000 fine-tuning steps at 1.25e-4
///   (the next step of ZS-N2N's own halving schedule) with λ = 10 over 8×8 patches (the paper's later patch-wise
///   variant). It stayed within 0.06 dB of ZS-N2N on every image measured (mean −0.004 dB at σ=25, +0.015 at σ=50); no setting tried came near the +0.3 dB asked for.
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
    public float FineTuneLearningRate { get; init; } = 1.25e-4f;

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
