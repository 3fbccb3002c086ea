namespace Hush.Denoising.Methods.Noise2Fast;

/// <summary>Noise2Fast in the registry.</summary>
internal static class Noise2FastDescriptor
{
    private static readonly ParameterBuilder<Noise2FastOptions> P = new("noise2fast");

    public static readonly MethodDescriptor Value = new()
    {
        Name = "noise2fast",
        Summary = "Noise2Fast: a 9-layer sigmoid CNN mapping chequerboard half-images to each other, stopped by its own rule",
        GoodFor = "grey images when you want no settings: it stops itself, and beat ZS-N2N by 1.1–3.7 dB on four Set12 128² crops",
        Paper = "Lequyer, Philip, Sharma, Hsu & Pelletier, Nat. Mach. Intell. 2022",
        // A cap only: the stopping rule normally ends the run first (docs/methods/noise2fast.md, "Iterations").
        DefaultIterations = 3000,
        DefaultLearningRate = 1e-3f,
        Capabilities = MethodCapabilities.Resumable,
        NoReusableModel = "its output is the mean of predictions buffered during training, per channel, with min-max statistics of that image",
        DefaultOptions = new Noise2FastOptions(),
        Parameters =
        [
            P.Int("patience", o => o.Patience, (o, v) => o with { Patience = v },
                "stop once more than this many steps in a row did not improve −MSE(noisy, prediction) (default 100)") with { Probe = "0", Invalid = "-1" },
            P.Int("buffer", o => o.Buffer, (o, v) => o with { Buffer = v },
                "last full-image predictions averaged for the output (default 105)") with { Probe = "2", Invalid = "0" },
            P.Switch("fallback", "--no-fallback", o => o.Fallback, (o, v) => o with { Fallback = v },
                "retrain at lr 5e-6 when the result is nearly constant (default on)") with
            {
                Probe = "off", ProbeWith = FrozenStop,
            },
        ],
        ProbeRun = new Dictionary<string, string> { ["iterations"] = "8" },
        Create = () => new Noise2FastMethod(),
    };

    /// <summary>Probe settings under which the stopping rule fires at step 2 (weights too slow to move, so no later score
    /// beats the first) on a result as flat as the untrained network's, so the fallback runs within the probe run.</summary>
    private static Dictionary<string, string> FrozenStop => new() { ["patience"] = "0", ["lr"] = "1e-30" };
}
