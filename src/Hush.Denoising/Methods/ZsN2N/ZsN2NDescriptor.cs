namespace Hush.Denoising.Methods.ZsN2N;

/// <summary>ZS-N2N in the registry.</summary>
internal static class ZsN2NDescriptor
{
    private static readonly ParameterBuilder<ZsN2NOptions> P = new("zs-n2n");

    public static readonly MethodDescriptor Value = new()
    {
        Name = "zs-n2n",
        Summary = "Zero-Shot Noise2Noise: a two-layer noise predictor trained on the image's two diagonal sub-images",
        GoodFor = "the fastest network method; pixel-independent noise when seconds matter",
        Paper = "Mansour & Heckel, CVPR 2023",
        DefaultIterations = 3000,
        DefaultLearningRate = 1e-3f,
        Capabilities = MethodCapabilities.PatchesAndTiles | MethodCapabilities.SharedModel | MethodCapabilities.ReusableModel | MethodCapabilities.Resumable |
                       MethodCapabilities.StoppingRule,
        DefaultOptions = new ZsN2NOptions(),
        Parameters = Schedule(P),
        ProbeRun = new Dictionary<string, string> { ["iterations"] = "12", ["lr-step"] = "4" },
        Create = () => new ZsN2NMethod(),
    };

    /// <summary>The step schedule's two settings (LoTA-N2N's stage 1 declares the same).</summary>
    internal static MethodParameter[] Schedule<T>(ParameterBuilder<T> p) where T : MethodOptions, IStepSchedule<T> =>
    [
        p.Int("lr-step", o => o.LearningRateStep, (o, v) => o.WithStep(v),
            "steps between learning-rate halvings (default 1000)") with { Aliases = ["learning-rate-step"], Probe = "3", Invalid = "0" },
        p.Float("lr-gamma", o => o.LearningRateGamma, (o, v) => o.WithGamma(v),
            "factor applied to the learning rate every lr-step steps, in (0,1] (default 0.5)") with { Aliases = ["learning-rate-gamma"], Probe = "0.25", Invalid = "0" },
    ];
}

/// <summary>An options record with ZS-N2N's step schedule.</summary>
internal interface IStepSchedule<T>
{
    int LearningRateStep { get; }
    float LearningRateGamma { get; }
    T WithStep(int step);
    T WithGamma(float gamma);
}
