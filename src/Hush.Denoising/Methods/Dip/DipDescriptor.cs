namespace Hush.Denoising.Methods.Dip;

/// <summary>Deep Image Prior in the registry.</summary>
internal static class DipDescriptor
{
    private static readonly ParameterBuilder<DipOptions> P = new("dip");

    public static readonly MethodDescriptor Value = new()
    {
        Name = "dip",
        Summary = "Deep Image Prior: a 5-scale skip encoder-decoder fitted from fixed noise to the image, stopped early, outputs averaged",
        GoodFor = "comparison with the literature (the classic zero-shot baseline); slow, and 3 dB behind ZS-N2N on the one crop measured",
        Paper = "Ulyanov, Vedaldi & Lempitsky, CVPR 2018",
        DefaultIterations = 3000,
        DefaultLearningRate = 0.01f,
        Capabilities = MethodCapabilities.Resumable,
        NoReusableModel = "its output is the running average of what the network draws from a fixed random input during training; no network maps an image to its denoised version",
        DefaultOptions = new DipOptions(),
        Parameters =
        [
            P.Float("reg-noise-std", o => o.RegNoiseStd, (o, v) => o with { RegNoiseStd = v },
                "std of the Gaussian added to the fixed input each step, ≥ 0 (default 1/30; the notebook uses 1/20 at σ 50)") with
            {
                Probe = "0.2", Invalid = "-1",
            },
            P.Float("ema", o => o.Ema, (o, v) => o with { Ema = v },
                "weight of the running average of the outputs, which is the result, in [0,1) (default 0.99)") with { Probe = "0.5", Invalid = "1" },
            P.Text("backtrack", "dB|off", o => o.BacktrackDrop is float d ? Values.Text(d) : "off",
                (o, v) => o with { BacktrackDrop = v == "off" ? null : Values.Float(v) },
                "roll back to the last weights when the PSNR against the noisy image drops by more than this (default 5 dB; off)") with
            {
                // A ten-times rate makes the probe run's PSNR fall within its few steps on every SIMD path, so the
                // rollback fires (at the default rate a 6-step run may only climb).
                Probe = "0", Invalid = "-1", ProbeWith = new Dictionary<string, string> { ["lr"] = "0.1" },
            },
            P.Int("input-depth", o => o.InputDepth, (o, v) => o with { InputDepth = v },
                "channels of the fixed noise input (default 32)") with { Probe = "8", Invalid = "0" },
        ],
        ShortRun = new Dictionary<string, string> { ["iterations"] = "200" }, // a fifteenth of the notebook's steps: a 32² image runs on a 64² canvas
        ProbeRun = new Dictionary<string, string> { ["iterations"] = "6" },
        Create = () => new DipMethod(),
    };
}
