namespace Hush.Denoising.Methods.Bm3d;

/// <summary>BM3D in the registry.</summary>
internal static class Bm3dDescriptor
{
    private static readonly ParameterBuilder<Bm3dOptions> P = new("bm3d");

    public static readonly MethodDescriptor Value = new()
    {
        Name = "bm3d",
        Summary = "classical BM3D (CBM3D for RGB): block matching and 3-D collaborative filtering, σ given or estimated; no training",
        GoodFor = "Gaussian noise when seconds matter: the classical yardstick, within 0.07 dB of the published BM3D tables",
        Paper = "Dabov, Foi, Katkovnik & Egiazarian, IEEE TIP 2007",
        DefaultIterations = 1,
        DefaultLearningRate = 1f,
        Capabilities = MethodCapabilities.NeedsNoiseLevel | MethodCapabilities.Classical,
        NoReusableModel = "it trains nothing",
        DefaultOptions = new Bm3dOptions(),
        Parameters =
        [
            P.Float("sigma", o => o.Sigma, (o, v) => o with { Sigma = v },
                "noise σ on the 0–255 scale; 0 estimates it from the image (default 0)") with { Probe = "40", Invalid = "-1" },
            P.Enum("profile", o => o.Profile, (o, v) => o with { Profile = v },
                "parameter set: Auto (normal up to σ=40, strong above), Normal, Strong (default Auto)") with { Probe = "Strong" },
            P.Enum("noise-model", o => o.NoiseModel, (o, v) => o with { NoiseModel = v },
                "Gaussian, or PoissonGaussian (var = a·x + b: filtered after the generalized Anscombe transform, exact unbiased inverse) (default Gaussian)") with { Probe = "PoissonGaussian" },
            P.Float("poisson-gain", o => o.PoissonGain, (o, v) => o with { PoissonGain = v },
                "with --noise-model PoissonGaussian: the gain a on the [0,1] scale (1/λ for Poisson peak λ); 0 estimates it (default 0)")
                with { Probe = "0.02", Invalid = "-1", ProbeWith = new Dictionary<string, string> { ["noise-model"] = "PoissonGaussian" } },
            P.Switch("wiener", "--no-wiener", o => o.Wiener, (o, v) => o with { Wiener = v },
                "run the second (Wiener) stage; --no-wiener returns the hard-thresholding estimate (default on)") with { Probe = "off" },
        ],
        ProbeRun = new Dictionary<string, string>(),
        Create = () => new Bm3dMethod(),
    };
}
