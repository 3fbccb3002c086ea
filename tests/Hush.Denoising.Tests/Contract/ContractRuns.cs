using Hush.Denoising.Noise;
using Hush.Imaging;

namespace Hush.Denoising.Tests.Contract;

/// <summary>The inputs and settings of the method contract: a fixed 32×32 colour crop with Gaussian noise (one U-Net
/// input block, so every method runs it in seconds) and each method's runs as its descriptor defines them.</summary>
internal static class ContractRuns
{
    public static readonly Image Clean = UNetCrops.Crop32("Kodak24", "kodim03.png");

    public static readonly Image Noisy = NoiseSynthesis.AddGaussian(Clean, 25, seed: 11);

    public static IEnumerable<object[]> Methods => MethodRegistry.Names.Select(n => new object[] { n });

    /// <summary>Every (method, setting) pair of the registry, for the per-setting theories.</summary>
    public static IEnumerable<object[]> Settings =>
        MethodRegistry.All.SelectMany(d => d.Parameters.Select(p => new object[] { d.Name, p.Name }));

    public static MethodParameter Parameter(string method, string name) =>
        MethodRegistry.Find(method).Parameters.Single(p => p.Name == name);

    /// <summary>The method's probe run (a handful of steps in which every setting can show), seed 42, 2 threads.</summary>
    public static DenoiseOptions Probe(string method) =>
        With(new DenoiseOptions { Method = method, Seed = 42, Threads = 2 }, MethodRegistry.Find(method).ProbeRun);

    /// <summary>The method's shipped defaults, shortened only as its descriptor says; seed 0, 1 thread (tiny images run
    /// fastest on one).</summary>
    public static DenoiseOptions Shipped(string method) =>
        With(new DenoiseOptions { Method = method, Seed = 0, Threads = 1 }, MethodRegistry.Find(method).ShortRun);

    /// <summary>Applies settings by parameter name (common or the method's), resolving the probe placeholders.</summary>
    public static DenoiseOptions With(DenoiseOptions options, IReadOnlyDictionary<string, string> settings) =>
        MethodRegistry.WithSettings(options, settings.ToDictionary(s => s.Key, s => Resolve(s.Value)));

    /// <summary>A probe's value with the test fixtures' paths filled in.</summary>
    public static string Resolve(string value) => value.Replace(Self2SelfPlusDescriptor.IqaWeightsProbe,
        Path.Combine(AppContext.BaseDirectory, "Fixtures", "paq2piq", "weights.htf"));

    /// <summary>Methods that train nothing (<see cref="MethodCapabilities.Classical"/>): seed-independent, no checkpoints.</summary>
    public static bool IsClassical(string method) => MethodRegistry.Find(method).Can(MethodCapabilities.Classical);

    public static float[] Run(DenoiseOptions options) => new Denoiser(options).Denoise(Noisy).Output.Data;
}
