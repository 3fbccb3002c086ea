namespace Hush.Denoising.Methods.LotaN2N;

// The readings of the trace term the paper's text admits besides Hush's default (docs/methods/lota-n2n.md, "Readings").
// With ⟨A, B⟩ the mean over elements of A ⊙ B, f the denoiser, g = z − f(z) its noise branch, x̂i = f_frozen(yi) and
// n̂i = yi − x̂i, each trace term is T12 = ⟨f(y1) − a1, b1 − y2⟩ (T21 its mirror): the enums below pick a and b.

/// <summary>The branch the trace term is taken on.</summary>
public enum LotaTraceBranch
{
    /// <summary>The denoised output: T12 = ⟨f(y1) − a1, a1 − y2⟩, the target's noise measured about the same proxy
    /// as the error (the default).</summary>
    Output,

    /// <summary>The noise branch: T12 = ⟨g(y1) − n̂1, n̂2⟩ = ⟨f(y1) − x̂1, x̂2 − y2⟩, the prediction's error against the
    /// target sub-image's own estimated noise, leaving out the content mismatch x̂1 − x̂2 the output branch carries.</summary>
    Residual,
}

/// <summary>Which proxy each trace term measures the prediction's error about.</summary>
public enum LotaTracePairing
{
    /// <summary>Each sub-image's own proxy: T12 = ⟨f(y1) − x̂1, ·⟩, T21 = ⟨f(y2) − x̂2, ·⟩ (the default).</summary>
    Mutual,

    /// <summary>The other sub-image's, whose noisy copy is the target: T12 = ⟨f(y1) − x̂2, x̂2 − y2⟩,
    /// T21 = ⟨f(y2) − x̂1, x̂1 − y1⟩.</summary>
    Cross,
}

/// <summary>How the trace weight λ evolves over stage 2.</summary>
public enum LotaLambdaSchedule
{
    /// <summary>λ at every stage-2 step (the default).</summary>
    Constant,

    /// <summary>λ·k/(N2 − 1) at stage-2 step k = 0 … N2 − 1: from 0 to λ.</summary>
    Ramp,
}
