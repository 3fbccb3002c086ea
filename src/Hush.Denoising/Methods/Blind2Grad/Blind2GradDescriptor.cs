namespace Hush.Denoising.Methods.Blind2Grad;

/// <summary>Blind2Grad in the registry.</summary>
internal static class Blind2GradDescriptor
{
    private static readonly ParameterBuilder<Blind2GradOptions> P = new("blind2grad");
    private static readonly Blind2GradOptions D = new();

    /// <summary>A detail threshold low enough that the reallocated mask has detail pixels on a probe run's image
    /// (declared before <see cref="Value"/>: static fields initialise in textual order).</summary>
    private static readonly Dictionary<string, string> Detail = new() { ["detail-threshold"] = "1" };

    public static readonly MethodDescriptor Value = new()
    {
        Name = "blind2grad",
        Summary = "Blind2Grad: a blind-spot U-Net with a dual mask, an image-gradient loss term and T-standout",
        GoodFor = "strong Gaussian noise (σ ≥ 50): ahead of ZS-N2N on all 11 crops measured (+1.5 dB mean), level with BM3D on average at σ 75–100",
        Paper = "Song, Shuai, Si & Li, AIMS Mathematics 10(6), 2025",
        DefaultIterations = 3000,
        // [choice] The paper's 2e-5 barely trains this reconstruction in 3000 steps; 4e-4 was best on the development
        // crop and on unseen crops at σ = 25 (docs/methods/blind2grad.md, "Choices and their measurements").
        DefaultLearningRate = 4e-4f,
        Capabilities = MethodCapabilities.Resumable | MethodCapabilities.StoppingRule,
        NoReusableModel = "its output averages stochastic masked passes inside the run, with a mask fitted to that image; saving it is not implemented",
        DefaultOptions = D,
        Parameters =
        [
            // Before --omega, --gamma and --dilation, so that those flags, when given, override the preset's values.
            P.OnOff("real-noise", o => o.RealNoise, Blind2GradRealNoise.Apply,
                "the paper's real-noise form: ω 0.5, γ 0.5, learning rate 1e-5 and --dilation 2 (each can be overridden)") with
            {
                SwitchValue = "on", Probe = "on",
            },
            P.Float("mask-rate", o => o.MaskRate, (o, v) => o with { MaskRate = v },
                $"fraction of pixels masked each step, in (0,1) (default {D.MaskRate})") with { Flag = "--mask-p", Aliases = ["mask-p"], Probe = "0.4", Invalid = "1" },
            P.Switch("dual-mask", "--no-dual-mask", o => o.DualMask, (o, v) => o with { DualMask = v },
                "Bernoulli mask every step instead of the dual mask (ablation)") with { Probe = "off" },
            P.Float("detail-threshold", o => o.DetailThreshold, (o, v) => o with { DetailThreshold = v },
                $"ε_g, |y − x_m| (0–255) from which a pixel is detail (default {D.DetailThreshold})") with { Probe = "0", Invalid = "-1" },
            P.Float("detail-mask-ratio", o => o.DetailMaskRatio, (o, v) => o with { DetailMaskRatio = v },
                $"mask rate of detail pixels as a fraction of the overall rate, in [0,1] (default {D.DetailMaskRatio}; 0: never masked)") with { Probe = "0", Invalid = "2", ProbeWith = Detail },
            P.Int("cycle-length", o => o.CycleLength, (o, v) => o with { CycleLength = v },
                $"steps between re-estimates of x_m = f(y) and the dual mask (default {D.CycleLength})") with { Probe = "3", Invalid = "0" },
            P.Int("estimate-passes", o => o.EstimatePasses, (o, v) => o with { EstimatePasses = v },
                $"stochastic passes averaged into the estimate x_m (default {D.EstimatePasses})") with { Probe = "1", Invalid = "0", ProbeWith = Detail },
            P.Float("omega", o => o.Omega, (o, v) => o with { Omega = v },
                $"weight ω of the gradient term (default {D.Omega}; the paper's 0.5 for real noise; 0 = off)") with { Probe = "0", Invalid = "-1" },
            P.Float("gamma", o => o.Gamma, (o, v) => o with { Gamma = v },
                $"weight γ of the extra colour term (default {D.Gamma})") with { Probe = "3", Invalid = "-1" },
            P.Enum("gradient-operator", o => o.GradientOperator, (o, v) => o with { GradientOperator = v },
                "how the two forward differences enter the gradient term (default Sum)") with { Probe = "Separate" },
            P.OnOff("detach", o => o.DetachUnmaskedPrediction, (o, v) => o with { DetachUnmaskedPrediction = v },
                "treat f(y) in the gradient term as a constant target (default on)") with { Probe = "off" },
            P.Switch("standout", "--no-standout", o => o.Standout, (o, v) => o with { Standout = v },
                "plain dropout instead of T-standout (ablation)") with { Probe = "off" },
            P.Float("standout-threshold", o => o.StandoutThreshold, (o, v) => o with { StandoutThreshold = v },
                $"ε_s (0–255 of each channel's largest gradient magnitude) from which units are never dropped (default {D.StandoutThreshold})") with { Probe = "10", Invalid = "-1" },
            P.Enum("standout-scale", o => o.StandoutScale, (o, v) => o with { StandoutScale = v },
                "what ε_s/255 is compared with (default RelativeToPlaneMax)") with { Probe = "Absolute" },
            P.Enum("standout-placement", o => o.StandoutPlacement, (o, v) => o with { StandoutPlacement = v },
                "where T-standout (or dropout) acts in the decoder (default EveryDecoderConv)") with { Probe = "HalfResolutionStage" },
            P.Float("dropout", o => o.DropoutRate, (o, v) => o with { DropoutRate = v },
                $"drop rate of T-standout's free units (or of plain dropout), in [0,1) (default {D.DropoutRate})") with { Probe = "0.6", Invalid = "1" },
            P.Enum("gradient-layer", o => o.GradientLayer, (o, v) => o with { GradientLayer = v },
                "where the gradient layer sits (default HalfResolution)") with { Probe = "EveryStage" },
            P.Int("attention-reduction", o => o.AttentionReduction, (o, v) => o with { AttentionReduction = v },
                $"reduction r of the channel attention's bottleneck (default {D.AttentionReduction})") with { Probe = "2", Invalid = "0" },
            P.Int("dilation", o => o.Dilation, (o, v) => o with { Dilation = v },
                $"dilation of the encoder's full-resolution convolution after the masked one, 1 to {Blind2GradRealNoise.MaxDilation} (default 1; --real-noise: 2)") with
            {
                Probe = "2", Invalid = "0",
            },
            P.Int("passes", o => o.Passes, (o, v) => o with { Passes = v },
                $"stochastic passes averaged for the output (default {D.Passes})") with { Probe = "3", Invalid = "0" },
            P.Text("ablation", "plain|dual-mask|gradient|full", Blind2GradAblation.Name, Blind2GradAblation.Apply,
                "the ablation's steps as one setting: plain blind-spot → + dual mask → + gradient loss → + T-standout (full = the defaults)") with
            {
                Flag = null, Probe = "plain",
            },
        ],
        // A tenth of the steps with the cycles shortened alike (six re-estimates of x_m, as in a default run).
        ShortRun = new Dictionary<string, string> { ["iterations"] = "300", ["passes"] = "10", ["cycle-length"] = "50" },
        ProbeRun = new Dictionary<string, string> { ["iterations"] = "4", ["passes"] = "2", ["cycle-length"] = "2" },
        Create = () => new Blind2GradMethod(),
    };
}
