namespace Hush.Denoising.Methods.Blind2Grad;

/// <summary>How Blind2Grad's image gradient ∇ combines its two forward differences D_x, D_y (the paper: "horizontal and
/// vertical", operator not given).</summary>
public enum Blind2GradGradient
{
    /// <summary>∇u = D_x u + D_y u, one value per sample, so d_c + ω·d_g is the scalar sum Eq. 3.9 writes.</summary>
    Sum,

    /// <summary>Each difference on its own: ‖d_c + ω·D_x(…)‖² + ‖d_c + ω·D_y(…)‖², halved so that ω = 0 gives the
    /// same loss as Sum.</summary>
    Separate,
}

/// <summary>Where Blind2Grad's T-standout (or, with it off, dropout) acts in the decoder.</summary>
public enum Blind2GradStandoutPlacement
{
    /// <summary>Before every decoder convolution (where Self2Self has its dropout; "T-standout sits in the decoder").</summary>
    EveryDecoderConv,

    /// <summary>Only before the convolutions of the H/2 stage ("a gradient conv layer of size H/2 × W/2 stacked with
    /// standout", Sec. 3.3); the other decoder convolutions run without dropout.</summary>
    HalfResolutionStage,
}

/// <summary>Where Blind2Grad's gradient layer sits. The layer: h + LeakyReLU(conv3×3(concat(D_x h, D_y h))) on the
/// up-sampled features (the paper names a "gradient layer" and a "gradient conv layer" without defining them).</summary>
public enum Blind2GradGradientLayer
{
    /// <summary>No gradient layer.</summary>
    None,

    /// <summary>In the H/2 decoder stage only ("the H/2 × W/2 gradient conv layer", Sec. 3.3).</summary>
    HalfResolution,

    /// <summary>In every decoder stage (Sec. 3.3's list: up-sampling, batch normalisation, gradient layer, attention).</summary>
    EveryStage,
}
