namespace Hush.Denoising.Methods.Self2Self;

/// <summary>Self2Self in the registry.</summary>
internal static class Self2SelfDescriptor
{
    private static readonly ParameterBuilder<Self2SelfOptions> P = new("self2self");

    public static readonly MethodDescriptor Value = new()
    {
        Name = "self2self",
        Summary = "the original Self2Self: a partial-convolution U-Net on masked, flipped copies, averaged over 100 passes",
        GoodFor = "comparison with the literature; its published 150,000 steps are hours on a CPU (Hush runs 3000)",
        Paper = "Quan, Chen, Pang & Ji, CVPR 2020",
        DefaultIterations = 3000,
        DefaultLearningRate = 1e-4f,
        Capabilities = MethodCapabilities.Resumable | MethodCapabilities.ReusableModel,
        DefaultOptions = new Self2SelfOptions(),
        Parameters =
        [
            P.Float("mask-p", o => o.MaskProbability, (o, v) => o with { MaskProbability = v },
                "probability that an input sample is dropped, in (0,1) (default 0.3)") with { Probe = "0.6", Invalid = "0" },
            P.Float("dropout", o => o.DropoutRate, (o, v) => o with { DropoutRate = v },
                "decoder dropout rate, in [0,1) (default 0.3)") with { Probe = "0.1", Invalid = "1" },
            P.Int("passes", o => o.Passes, (o, v) => o with { Passes = v },
                "stochastic passes averaged for the output (default 100)") with { Probe = "3", Invalid = "0" },
        ],
        ShortRun = new Dictionary<string, string> { ["iterations"] = "300", ["passes"] = "20" },
        ProbeRun = new Dictionary<string, string> { ["iterations"] = "3", ["passes"] = "2" },
        Create = () => new Self2SelfMethod(),
    };
}
