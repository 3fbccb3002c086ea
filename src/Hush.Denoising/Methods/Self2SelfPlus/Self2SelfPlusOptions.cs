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

    /// <summary>The dropout rate in effect.</summary>
    public float EffectiveDropoutRate => DropoutRate ?? MaskProbability;

    /// <inheritdoc/>
    public override void Validate(int iterations)
    {
        Check(MaskProbability > 0f && MaskProbability < 1f, $"mask probability must be in (0, 1), got {MaskProbability}");
        Check(DropoutRate is not float d || (d >= 0f && d < 1f), $"dropout rate must be in [0, 1), got {DropoutRate}");
        Check(Passes >= 1, $"passes must be ≥ 1, got {Passes}");
        Check(FiniteAtLeast(IqaWeight, 0), $"iqa-weight must be a finite number ≥ 0, got {IqaWeight}");
        Check(IqaWeights is not null || IqaWeight == PaQ2PiQQualityTerm.DefaultWeight,
            "iqa-weight needs iqa-weights FILE (the IQA term is off without it)");
    }
}
