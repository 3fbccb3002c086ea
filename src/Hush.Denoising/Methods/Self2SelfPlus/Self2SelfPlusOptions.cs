using Hush.Denoising.Quality.PaQ2PiQ;

namespace Hush.Denoising.Methods.Self2SelfPlus;

/// <summary>Self2Self+'s settings; the defaults are the official CBSD68 AWGN script's (docs/methods/self2self-plus.md).
/// The Adam rate (4e-4, constant) is the run's <see cref="DenoiseOptions.LearningRate"/>.</summary>
public sealed record Self2SelfPlusOptions : MethodOptions
{
    /// <summary>Probability p that an input sample (one channel of one pixel) is dropped by the Bernoulli mask, in (0, 1).</summary>
    public float MaskProbability { get; init; } = 0.4f;

    /// <summary>Decoder dropout rate in [0, 1), active while predicting too; null = <see cref="MaskProbability"/> (the
    /// official code uses one p for both).</summary>
    public float? DropoutRate { get; init; }

    /// <summary>Stochastic forward passes averaged for the prediction (each with a fresh mask and dropout), ≥ 1.</summary>
    public int Passes { get; init; } = 500;

    /// <summary>PaQ-2-PiQ weights (a .htf file made by tools/paq2piq/convert.py; Hush ships none) for the paper's
    /// no-reference quality term λ·mean((100 − score)²) on the output cropped to the image. Null (the default) = off.</summary>
    public string? IqaWeights { get; init; }

    /// <summary>λ of the quality term (default 2e-8, as published); meaningful only with <see cref="IqaWeights"/>.</summary>
    public float IqaWeight { get; init; } = PaQ2PiQQualityTerm.DefaultWeight;

    /// <summary>The official script this run follows (<see cref="Self2SelfPlusPreset"/>): it gives the iteration count
    /// (<see cref="PresetIterations"/>) unless the run sets one. Setting it alone leaves <see cref="MaskProbability"/>
    /// as it is: <see cref="For"/> (and the CLI's --preset) sets both.</summary>
    public Self2SelfPlusPreset Preset { get; init; } = Self2SelfPlusPreset.Awgn;

    /// <summary>Output as a running average of the training steps' outputs, avg ← w·avg + (1 − w)·out after every step,
    /// instead of the mean of <see cref="Passes"/> prediction passes; w in [0, 1), null (the default) = off. Self2Self's
    /// official real-noise code does this with w = 0.99 (the Self2Self+ code does not).</summary>
    public float? OutputEma { get; init; }

    /// <summary>λ of the Poisson re-corruption of the masked input, Poisson(λ·M⊙y)/λ, drawn afresh for every forward
    /// pass (training and prediction); null (the default) = off. Self2Self's official real-noise code uses λ = 25 (the
    /// Self2Self+ code does not).</summary>
    public float? PoissonRecorruption { get; init; }

    /// <summary>The settings of an official script: its <see cref="Preset"/> and mask probability p, e.g.
    /// <c>Self2SelfPlusOptions.For(Self2SelfPlusPreset.Sidd)</c> (p = 0.9, 1000 iterations).</summary>
    public static Self2SelfPlusOptions For(Self2SelfPlusPreset preset) =>
        new() { Preset = preset, MaskProbability = Self2SelfPlusPresets.MaskProbability(preset) };

    /// <inheritdoc/>
    public override int? PresetIterations => Self2SelfPlusPresets.Iterations(Preset);

    /// <summary>The dropout rate in effect.</summary>
    public float EffectiveDropoutRate => DropoutRate ?? MaskProbability;

    /// <inheritdoc/>
    public override void Validate(int iterations)
    {
        Check(MaskProbability > 0f && MaskProbability < 1f, $"mask probability must be in (0, 1), got {MaskProbability}");
        Check(DropoutRate is not float d || (d >= 0f && d < 1f), $"dropout rate must be in [0, 1), got {DropoutRate}");
        Check(Enum.IsDefined(Preset), $"unknown self2self-plus preset {Preset}");
        Check(OutputEma is not float w || (w >= 0f && w < 1f), $"output-ema must be in [0, 1), got {OutputEma}");
        Check(PoissonRecorruption is not float l || (l > 0f && l <= Self2SelfPlusPresets.MaxPoissonLambda),
            $"recorrupt λ must be in (0, {Self2SelfPlusPresets.MaxPoissonLambda}], got {PoissonRecorruption}");
        Check(Passes >= 1, $"passes must be ≥ 1, got {Passes}");
        Check(FiniteAtLeast(IqaWeight, 0), $"iqa-weight must be a finite number ≥ 0, got {IqaWeight}");
        Check(IqaWeights is not null || IqaWeight == PaQ2PiQQualityTerm.DefaultWeight,
            "iqa-weight needs iqa-weights FILE (the IQA term is off without it)");
    }
}
