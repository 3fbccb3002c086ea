namespace Hush.Denoising.Methods.Noise2Self;

/// <summary>Noise2Self in the registry.</summary>
internal static class Noise2SelfDescriptor
{
    private static readonly ParameterBuilder<Noise2SelfOptions> P = new("noise2self");

    public static readonly MethodDescriptor Value = new()
    {
        Name = "noise2self",
        Summary = "Noise2Self: a DnCNN trained to predict grid-masked pixels from their neighbours, best held-out phase kept",
        GoodFor = "the classic blind-spot baseline; pixel-independent noise, grey or colour",
        Paper = "Batson & Royer, ICML 2019",
        DefaultIterations = 500,
        DefaultLearningRate = 0.01f,
        Capabilities = MethodCapabilities.Resumable,
        NoReusableModel = "its kept network is applied inside the run; saving it is not implemented",
        DefaultOptions = new Noise2SelfOptions(),
        Parameters =
        [
            P.Text("masking", "grid|random-neighbour", o => MaskingName(o.Masking), (o, v) => o with { Masking = ParseMasking(v) },
                "grid (the paper's, default) or random-neighbour (Noise2Void's: a random share of pixels, each replaced by a random 5×5 neighbour)")
                with { Probe = "random-neighbour" },
            P.Enum<Noise2SelfFill>("mask-mode", o => o.Fill, (o, v) => o with { Fill = v },
                "what a grid-masked pixel becomes: Interpolate (its neighbours, default) or Zero") with { Probe = "zero" },
            P.Int("grid", o => o.GridWidth, (o, v) => o with { GridWidth = v },
                "grid period w: w² phases, the last held out for validation (default 4)") with { Probe = "3", Invalid = "1" },
            P.Int("layers", o => o.Layers, (o, v) => o with { Layers = v },
                "DnCNN convolutions (default 8)") with { Probe = "4", Invalid = "1" },
            P.Int("features", o => o.Features, (o, v) => o with { Features = v },
                "DnCNN hidden channels (default 64)") with { Probe = "16", Invalid = "0" },
            P.Int("validate-every", o => o.ValidateEvery, (o, v) => o with { ValidateEvery = v },
                "steps between validations on the held-out phase; the best model is kept (default 10)") with { Probe = "1", Invalid = "0" },
            P.Float("mask-fraction", o => o.MaskFraction, (o, v) => o with { MaskFraction = v },
                "share of pixels replaced per step under random-neighbour masking, in (0,1) (default 0.0625)")
                with { Probe = "0.25", Invalid = "1", ProbeWith = new Dictionary<string, string> { ["masking"] = "random-neighbour" } },
            P.OnOff("j-invariant", o => o.JInvariant, (o, v) => o with { JInvariant = v },
                "output assembled from the w² masked passes instead of one pass on the noisy image (default off)") with { Probe = "on" },
        ],
        ShortRun = new Dictionary<string, string> { ["iterations"] = "200" },
        ProbeRun = new Dictionary<string, string> { ["iterations"] = "12" },
        Create = () => new Noise2SelfMethod(),
    };

    private static string MaskingName(Noise2SelfMasking m) => m == Noise2SelfMasking.Grid ? "grid" : "random-neighbour";

    private static Noise2SelfMasking ParseMasking(string v) => v.ToLowerInvariant() switch
    {
        "grid" => Noise2SelfMasking.Grid,
        "random-neighbour" or "random-neighbor" => Noise2SelfMasking.RandomNeighbour,
        _ => throw new FormatException(),
    };
}
