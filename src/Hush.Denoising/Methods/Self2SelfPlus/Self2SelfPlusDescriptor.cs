namespace Hush.Denoising.Methods.Self2SelfPlus;

/// <summary>Self2Self+ in the registry.</summary>
internal static class Self2SelfPlusDescriptor
{
    private static readonly ParameterBuilder<Self2SelfPlusOptions> P = new("self2self-plus");

    /// <summary>Stands for the PaQ-2-PiQ weights file in a probe; the contract tests put their fixture's path there.</summary>
    public const string IqaWeightsProbe = "{paq2piq-weights}";

    public static readonly MethodDescriptor Value = new()
    {
        Name = "self2self-plus",
        Summary = "Self2Self+: a gated-convolution U-Net trained on Bernoulli-masked copies, averaged over 500 dropout passes",
        GoodFor = "the best quality measured on Gaussian noise at σ 25–50; minutes per 256² image",
        Paper = "Ko & Lee, arXiv 2307.10695",
        DefaultIterations = 4000,
        DefaultLearningRate = 4e-4f,
        Capabilities = MethodCapabilities.Resumable | MethodCapabilities.ReusableModel | MethodCapabilities.StoppingRule,
        DefaultOptions = new Self2SelfPlusOptions(),
        Parameters =
        [
            // First, so that an explicit --mask-p (a later flag) overrides the preset's p.
            P.Text("preset", "awgn|sidd|polyu", Self2SelfPlusPresets.Name, Self2SelfPlusPresets.Apply,
                "an official script's p and iterations: awgn 0.4/4000 (default), sidd 0.9/1000, polyu 0.7/5000; " +
                "--mask-p and --iterations override") with { Probe = "sidd" },
            P.Float("mask-p", o => o.MaskProbability, (o, v) => o with { MaskProbability = v },
                "probability that an input sample is dropped, in (0,1) (default 0.4)") with { Probe = "0.6", Invalid = "1" },
            P.Text("dropout", "number", o => o.DropoutRate is float d ? Values.Text(d) : "mask-p", (o, v) => o with { DropoutRate = Values.Float(v) },
                "decoder dropout rate, in [0,1) (default: --mask-p)") with { Probe = "0.1", Invalid = "1" },
            P.Int("passes", o => o.Passes, (o, v) => o with { Passes = v },
                "stochastic passes averaged for the output (default 500)") with { Probe = "3", Invalid = "0" },
            P.Text("iqa-weights", "FILE", o => o.IqaWeights ?? "off", (o, v) => o with { IqaWeights = v },
                "add the paper's IQA loss term λ·(100 − PaQ-2-PiQ score)² with these PaQ-2-PiQ weights (a .htf file made by " +
                "tools/paq2piq/convert.py; Hush ships none). Default: off") with { Probe = IqaWeightsProbe },
            P.Float("iqa-weight", o => o.IqaWeight, (o, v) => o with { IqaWeight = v },
                "λ of the IQA term (default 2e-8, as published); needs --iqa-weights") with
            {
                Probe = "0.001", Invalid = "-1", ProbeWith = new Dictionary<string, string> { ["iqa-weights"] = IqaWeightsProbe },
            },
            P.Text("output-ema", "number", o => o.OutputEma is float w ? Values.Text(w) : "off",
                (o, v) => o with { OutputEma = v == "off" ? null : Values.Float(v) },
                "output = running average w·avg + (1−w)·out of the training outputs instead of --passes passes, w in [0,1) " +
                "(Self2Self's real-noise code: 0.99). Default: off") with { Probe = "0.5", Invalid = "1" },
            P.Text("recorrupt", "number", o => o.PoissonRecorruption is float l ? Values.Text(l) : "off",
                (o, v) => o with { PoissonRecorruption = v == "off" ? null : Values.Float(v) },
                $"re-corrupt the masked input with Poisson(λ·x)/λ, λ in (0,{Values.Text(Self2SelfPlusPresets.MaxPoissonLambda)}] " +
                "(Self2Self's real-noise code: 25). Default: off") with { Probe = "25", Invalid = "0" },
        ],
        ShortRun = new Dictionary<string, string> { ["iterations"] = "300", ["passes"] = "50" }, // 300 steps and a tenth of the passes
        ProbeRun = new Dictionary<string, string> { ["iterations"] = "3", ["passes"] = "2" },
        Create = () => new Self2SelfPlusMethod(),
    };
}
