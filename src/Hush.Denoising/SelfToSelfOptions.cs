namespace Hush.Denoising;

/// <summary>
/// Settings of the Self2Self family (methods "self2self-plus" and "self2self", methods.md §3). Unset (null) values take
/// the method's published default:
/// <list type="table">
/// <item><term>MaskProbability p</term><description>self2self-plus 0.4 (CBSD68 AWGN script); self2self 0.3 (keep 0.7).</description></item>
/// <item><term>DropoutRate</term><description>self2self-plus = p (the official code uses one p for both); self2self 0.3.</description></item>
/// <item><term>Passes</term><description>self2self-plus 500; self2self 100.</description></item>
/// <item><term>LearningRate</term><description>self2self-plus 4e-4; self2self 1e-4 (Adam, constant).</description></item>
/// </list>
/// The DenoiseOptions learning-rate schedule (ZS-N2N's) is not used by these methods.
/// </summary>
public sealed record SelfToSelfOptions
{
    /// <summary>Probability that an input sample (one channel of one pixel) is dropped by the Bernoulli mask, in (0, 1).</summary>
    public float? MaskProbability { get; init; }

    /// <summary>Decoder dropout rate, in [0, 1). Dropout stays active while predicting.</summary>
    public float? DropoutRate { get; init; }

    /// <summary>Stochastic forward passes averaged for the prediction (each with a fresh mask and dropout), ≥ 1.</summary>
    public int? Passes { get; init; }

    /// <summary>Adam learning rate (constant), &gt; 0.</summary>
    public float? LearningRate { get; init; }

    /// <summary>Self2Self+ only: an optional no-reference quality term added to the loss (the paper's
    /// λ·mean((100 − PaQ-2-PiQ(out))²), λ = 2e-8): e.g. <see cref="Quality.PaQ2PiQ.PaQ2PiQQualityTerm.Load"/> with
    /// weights the user provides. Null (the default) = off. It sees the output cropped to the image.</summary>
    public INoReferenceQualityTerm? QualityTerm { get; init; }

    internal void Validate()
    {
        if (MaskProbability is float p && !(p > 0f && p < 1f))
            throw new ArgumentException($"mask probability must be in (0, 1), got {p}");
        if (DropoutRate is float d && !(d >= 0f && d < 1f))
            throw new ArgumentException($"dropout rate must be in [0, 1), got {d}");
        if (Passes is int n && n < 1) throw new ArgumentException($"passes must be ≥ 1, got {n}");
        if (LearningRate is float lr && (!(lr > 0f) || float.IsInfinity(lr)))
            throw new ArgumentException($"learning rate must be a finite number > 0, got {lr}");
    }
}
