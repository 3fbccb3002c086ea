using Hush.Engine;
using Hush.Engine.Fused;

namespace Hush.Denoising.Methods.Blind2Grad;

/// <summary>
/// Settings of "blind2grad" (Song, Shuai, Si, Li, AIMS Mathematics 10(6), 2025; docs/methods/blind2grad.md). No code was
/// released and the paper is vague about the network, so every setting below that the paper does not fix is a choice
/// made here, marked "[choice]" with the reason; docs/methods/blind2grad.md lists them with their measurements. The switches
/// <see cref="DualMask"/>, <see cref="Omega"/> = 0 and <see cref="Standout"/> turn the paper's three additions off one
/// by one (the ablation: plain blind-spot → + dual mask → + gradient loss → + T-standout, at equal iterations).
/// </summary>
public sealed record Blind2GradOptions : MethodOptions
{
    // ---- the dual mask (Sec. 3.1, Eq. 3.1–3.3, 3.10) ----

    /// <summary>Overall fraction of pixels masked each step: "75 % of pixels estimate the remaining 25 %" (Sec. 3.1).
    /// Pixels are masked in all channels at once (the paper masks pixels; Self2Self masks channels separately).</summary>
    public float MaskRate { get; init; } = 0.25f;

    /// <summary>Use the second (reallocated) mask after the first cycle (Sec. 3.1). Off: a Bernoulli mask every step
    /// (the plain blind-spot baseline of the ablation).</summary>
    public bool DualMask { get; init; } = true;

    /// <summary>ε_g on the 0–255 scale (Sec. 3.1; 40 was best in the paper's ablation over 15…100): a pixel whose distance
    /// |y − x_m| to the current estimate x_m reaches it is "detail". [choice] The distance is the root mean square over
    /// the channels, so the threshold means the same for grey and colour images (the paper has one channel in mind).</summary>
    public float DetailThreshold { get; init; } = 40f;

    /// <summary>[choice; Eq. 3.2 is garbled in the only copy] Mask rate of detail pixels as a fraction of
    /// <see cref="MaskRate"/>; flat pixels take the rest so that the overall rate stays MaskRate:
    /// r_flat = (r − q·ratio·r)/(1 − q) for a detail fraction q (capped at 1, when the overall rate then falls short).
    /// 0 = the paper's words taken literally: detail pixels are "kept visible", never masked; 1 = a plain Bernoulli mask.
    /// Default 0.5, "masked less": with the paper's threshold, "detail" is largely where the noise itself is large, and a
    /// mask that never hides those pixels drops the noisiest targets and depends on the noise at the pixel it hides. On
    /// the 64² kodim01 development crop (σ = 25, 3000 steps) the full method gave 23.40 dB at 0 and 25.57 dB at 0.5,
    /// against 25.25 dB for the plain blind-spot network (bench/RESULTS.md, "Earlier figures (Blind2Grad)").</summary>
    public float DetailMaskRatio { get; init; } = 0.5f;

    /// <summary>[choice] Training steps per B2G cycle (Eq. 3.10's recurrence): the estimate x_m = f(y) and the dual mask
    /// are recomputed every CycleLength steps; the first cycle uses the Bernoulli mask. The paper gives no cycle length
    /// (it reports PSNR every 3000 steps); 500 gives 6 re-estimates in a 3000-step run at the cost of
    /// <see cref="EstimatePasses"/> forward passes each (under 1 % of the run).</summary>
    public int CycleLength { get; init; } = 500;

    /// <summary>[choice] Stochastic passes of f(y) averaged into x_m (one pass carries the decoder's dropout noise,
    /// which would read as detail).</summary>
    public int EstimatePasses { get; init; } = 4;

    // ---- the loss (Eq. 3.4–3.9) ----

    /// <summary>ω, the weight of the gradient deviation d_g in ‖d_c + ω·d_g‖² (Eq. 3.9): 0.8 for synthetic noise, 0.5 for
    /// real noise. 0 turns the gradient term off (and skips the forward pass of the unmasked image).</summary>
    public float Omega { get; init; } = 0.8f;

    /// <summary>γ, the weight of the extra colour term γ‖d_c‖² (Eq. 3.9): 0.5 for synthetic and real noise.</summary>
    public float Gamma { get; init; } = 0.5f;

    /// <summary>[choice] How the two forward differences enter d_g = ∇f(y) − ∇f(Ω(y)): see <see cref="Blind2GradGradient"/>.</summary>
    public Blind2GradGradient GradientOperator { get; init; } = Blind2GradGradient.Sum;

    /// <summary>[choice; not stated] Treat f(y) in d_g as a constant target (no gradient through the unmasked pass).
    /// On by default, for two reasons. The methods B2G builds on compute the full-input prediction without gradient
    /// (Neighbor2Neighbor's regulariser, Blind2Unblind's re-visible term). And with gradient through f(y), which sees
    /// the very pixel it is scored on, the joint term ‖d_c + ω·d_g‖² can be lowered by moving f(y) rather than f(Ω(y)):
    /// on the 128² kodim01 crop at 1000 steps the full method gave 21.41 dB attached and 24.12 dB detached
    /// (bench/RESULTS.md, "Earlier figures (Blind2Grad)").</summary>
    public bool DetachUnmaskedPrediction { get; init; } = true;

    // ---- the network (Sec. 3.2–3.3) ----

    /// <summary>Use T-standout in the decoder (Sec. 3.2). Off: plain dropout at <see cref="DropoutRate"/> in the same places.</summary>
    public bool Standout { get; init; } = true;

    /// <summary>[choice] ε_s on the 0–255 scale: units whose gradient magnitude reaches ε_s/255 on
    /// <see cref="StandoutScale"/> are never dropped. The paper's best was 25 (Sec. 3.2), on its own scale; on this
    /// reconstruction's per-plane scale 25 keeps most units of a noisy feature map (about 89 % of a 64² plane of
    /// Gaussian noise), which leaves almost no dropout and fits the noise at σ = 50. Default 100, chosen by a sweep on the
    /// 128² kodim01 crop (3000 steps; bench/RESULTS.md, "Blind2Grad: T-standout threshold"): σ = 25 / 50 gave 25.73 / 19.14 dB at 25,
    /// 26.58 / 21.76 at 50, 25.83 / 23.33 at 100 and 25.33 / 23.92 at 200 (plain dropout: 25.32 / 23.94); 100 has the
    /// smallest worst-case loss over the two noise levels (−0.75 / −0.61 dB against the best value of each), and a mean
    /// within 0.05 dB of the best.</summary>
    public float StandoutThreshold { get; init; } = 100f;

    /// <summary>[choice] What ε_s/255 is compared with: the paper states ε_s for images; decoder features have no fixed
    /// scale (they follow a batch normalisation), so by default each channel's gradient map is read as an image scaled
    /// to its maximum (<see cref="StandoutScale.RelativeToPlaneMax"/>); Absolute compares the raw magnitude.</summary>
    public StandoutScale StandoutScale { get; init; } = StandoutScale.RelativeToPlaneMax;

    /// <summary>[choice] Where T-standout (or dropout) acts: see <see cref="Blind2GradStandoutPlacement"/>.</summary>
    public Blind2GradStandoutPlacement StandoutPlacement { get; init; } = Blind2GradStandoutPlacement.EveryDecoderConv;

    /// <summary>[choice; not stated] Drop rate p of T-standout's (and the plain dropout's) free units: Self2Self's 0.3.</summary>
    public float DropoutRate { get; init; } = 0.3f;

    /// <summary>[choice] Where the gradient layer sits: see <see cref="Blind2GradGradientLayer"/>.</summary>
    public Blind2GradGradientLayer GradientLayer { get; init; } = Blind2GradGradientLayer.HalfResolution;

    /// <summary>[choice; not stated] Reduction r of the channel attention's bottleneck (C → ⌈C/r⌉ → C, Eq. 3.12).</summary>
    public int AttentionReduction { get; init; } = 8;

    /// <summary>[choice; the paper's real-noise network is in its supplementary, which we could not read] Dilation d of the
    /// encoder's full-resolution 3×3 convolution after the masked one (zero padding d, so the size is kept): with d &gt; 1
    /// it reads neighbours d pixels apart, past the one-pixel reach of the spatially correlated noise of camera (sRGB)
    /// images. 1 (the default) = the plain convolution of the synthetic-noise network.</summary>
    public int Dilation { get; init; } = 1;

    /// <summary>The paper's real-noise form (Sec. 4, "real-world noise"): set by the real-noise preset
    /// (<see cref="Blind2GradRealNoise"/>), which also sets ω = 0.5, γ = 0.5 and <see cref="Dilation"/> = 2; here it gives
    /// the paper's real-noise learning rate 1e-5 (<see cref="PresetLearningRate"/>) unless the run sets one.</summary>
    public bool RealNoise { get; init; }

    /// <inheritdoc/>
    public override float? PresetLearningRate => RealNoise ? Blind2GradRealNoise.LearningRate : null;

    // ---- training and prediction ----

    /// <summary>[choice] Stochastic passes averaged for the output, each with a fresh mask and fresh standout draws (as
    /// Self2Self). Sec. 3.3's "called 40 times to get the final results" is read as 40 passes.</summary>
    public int Passes { get; init; } = 40;

    /// <inheritdoc/>
    public override void Validate(int iterations)
    {
        Check(MaskRate > 0f && MaskRate < 1f, $"blind2grad mask rate must be in (0, 1), got {MaskRate}");
        Check(DetailThreshold >= 0f && float.IsFinite(DetailThreshold), $"blind2grad detail threshold must be a finite number ≥ 0, got {DetailThreshold}");
        Check(DetailMaskRatio >= 0f && DetailMaskRatio <= 1f, $"blind2grad detail mask ratio must be in [0, 1], got {DetailMaskRatio}");
        Check(CycleLength >= 1, $"blind2grad cycle length must be ≥ 1, got {CycleLength}");
        Check(EstimatePasses >= 1, $"blind2grad estimate passes must be ≥ 1, got {EstimatePasses}");
        Check(Omega >= 0f && float.IsFinite(Omega), $"blind2grad omega must be a finite number ≥ 0, got {Omega}");
        Check(Gamma >= 0f && float.IsFinite(Gamma), $"blind2grad gamma must be a finite number ≥ 0, got {Gamma}");
        Check(Enum.IsDefined(GradientOperator), $"unknown blind2grad gradient operator {GradientOperator}");
        Check(StandoutThreshold >= 0f && float.IsFinite(StandoutThreshold), $"blind2grad standout threshold must be a finite number ≥ 0, got {StandoutThreshold}");
        Check(Enum.IsDefined(StandoutScale), $"unknown blind2grad standout scale {StandoutScale}");
        Check(Enum.IsDefined(StandoutPlacement), $"unknown blind2grad standout placement {StandoutPlacement}");
        Check(DropoutRate >= 0f && DropoutRate < 1f, $"blind2grad dropout rate must be in [0, 1), got {DropoutRate}");
        Check(Enum.IsDefined(GradientLayer), $"unknown blind2grad gradient layer {GradientLayer}");
        Check(AttentionReduction >= 1, $"blind2grad attention reduction must be ≥ 1, got {AttentionReduction}");
        Check(Dilation is >= 1 and <= Blind2GradRealNoise.MaxDilation,
            $"blind2grad dilation must be 1 to {Blind2GradRealNoise.MaxDilation}, got {Dilation}");
        Check(Passes >= 1, $"blind2grad passes must be ≥ 1, got {Passes}");
    }
}
