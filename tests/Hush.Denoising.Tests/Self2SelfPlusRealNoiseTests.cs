using Hush.Denoising.Noise;
using Hush.Engine;
using Hush.Imaging;

namespace Hush.Denoising.Tests;

/// <summary>Self2Self+'s real-noise settings: the official scripts' presets, the running average of the outputs and the
/// Poisson re-corruption of the masked input (docs/methods/self2self-plus.md, "Real noise").</summary>
public class Self2SelfPlusRealNoiseTests
{
    private static readonly MethodDescriptor Descriptor = MethodRegistry.Find("self2self-plus");

    private static MethodParameter Setting(string name) => Descriptor.Parameters.Single(p => p.Name == name);

    private static DenoiseOptions Options(Self2SelfPlusOptions s, ulong seed = 42) => new()
    {
        Method = "self2self-plus", Iterations = 3, Seed = seed, Threads = 2, MethodOptions = s with { Passes = 2 },
    };

    private static Image Noisy() => NoiseSynthesis.AddGaussian(UNetCrops.Crop32("Kodak24", "kodim05.png").Crop(0, 0, 20, 17), 25, seed: 3);

    [Theory]
    [InlineData("sidd", 0.9f, 1000)]
    [InlineData("PolyU", 0.7f, 5000)]
    [InlineData("awgn", 0.4f, 4000)]
    public void APresetSetsTheScriptsMaskProbabilityDropoutAndIterations(string preset, float p, int iterations)
    {
        var o = Setting("preset").Apply(new DenoiseOptions { Method = "self2self-plus" }, preset);
        var s = o.OptionsOf<Self2SelfPlusOptions>();
        Assert.Equal(p, s.MaskProbability);
        Assert.Equal(p, s.EffectiveDropoutRate); // the official code uses one p for both
        Assert.Equal(iterations, o.Iterations);
        Assert.Equal(preset.ToLowerInvariant(), Setting("preset").ValueIn(o));
    }

    [Fact]
    public void TheLibraryFactoryMatchesTheSetting()
    {
        var viaSetting = Setting("preset").Apply(new DenoiseOptions { Method = "self2self-plus" }, "polyu");
        Assert.Equal(viaSetting.MethodOptions, Self2SelfPlusOptions.For(Self2SelfPlusPreset.PolyU));
        Assert.Equal(5000, new DenoiseOptions { Method = "self2self-plus", MethodOptions = Self2SelfPlusOptions.For(Self2SelfPlusPreset.PolyU) }.Iterations);
    }

    [Fact]
    public void ExplicitIterationsAndALaterMaskProbabilityOverrideThePreset()
    {
        var o = Setting("preset").Apply(new DenoiseOptions { Method = "self2self-plus", Iterations = 7 }, "sidd");
        Assert.Equal(7, o.Iterations);
        o = Setting("mask-p").Apply(o, "0.5");
        Assert.Equal(0.5f, o.OptionsOf<Self2SelfPlusOptions>().MaskProbability);
        Assert.Equal(7, o.Iterations);
        // The CLI applies a method's flags in the order its settings are declared: the preset must come before --mask-p.
        var names = Descriptor.Parameters.Select(p => p.Name).ToList();
        Assert.True(names.IndexOf("preset") < names.IndexOf("mask-p"));
    }

    [Theory]
    [InlineData("preset", "cbsd68")]
    [InlineData("preset", "1")]
    [InlineData("output-ema", "")]
    [InlineData("recorrupt", "x")]
    public void UnknownValuesAreFormatErrors(string setting, string value) =>
        Assert.Throws<FormatException>(() => Setting(setting).Apply(new DenoiseOptions { Method = "self2self-plus" }, value));

    [Theory]
    [InlineData(1f, null)]
    [InlineData(-0.1f, null)]
    [InlineData(float.NaN, null)]
    [InlineData(null, 0f)]
    [InlineData(null, -25f)]
    [InlineData(null, 501f)]
    [InlineData(null, float.PositiveInfinity)]
    public void OutOfRangeValuesAreRefused(float? ema, float? lambda) =>
        Assert.Throws<ArgumentException>(() => new Self2SelfPlusOptions { OutputEma = ema, PoissonRecorruption = lambda }.Validate(10));

    [Fact]
    public void OffReadsBackAsOffAndTheLimitsAreValid()
    {
        var o = new DenoiseOptions { Method = "self2self-plus" };
        Assert.Equal("off", Setting("output-ema").ValueIn(o));
        o = Setting("recorrupt").Apply(Setting("output-ema").Apply(o, "0"), "500");
        o.OptionsOf<Self2SelfPlusOptions>().Validate(10);
        Assert.Equal(0f, o.OptionsOf<Self2SelfPlusOptions>().OutputEma);
        Assert.Null(Setting("recorrupt").Apply(o, "off").OptionsOf<Self2SelfPlusOptions>().PoissonRecorruption);
    }

    [Fact]
    public void EachSettingChangesTheOutputAndRepeatsBitForBit()
    {
        var noisy = Noisy();
        var plain = new Denoiser(Options(new Self2SelfPlusOptions())).Denoise(noisy).Output.Data;
        Self2SelfPlusOptions[] variants =
        [
            new() { OutputEma = 0.99f }, new() { PoissonRecorruption = 25f },
            new() { OutputEma = 0.99f, PoissonRecorruption = 25f }, new() { MaskProbability = 0.9f },
        ];
        foreach (var s in variants)
        {
            Assert.NotEqual(plain, new Denoiser(Options(s)).Denoise(noisy).Output.Data);
            UNetCrops.AssertRepeatableAndSeeded(Options(s), noisy);
        }
    }

    [Fact]
    public void TheRunningAverageIsInRangeAndIgnoresThePasses()
    {
        var noisy = Noisy();
        var a = new Denoiser(Options(new Self2SelfPlusOptions { OutputEma = 0.9f })).Denoise(noisy);
        var b = new Denoiser(Options(new Self2SelfPlusOptions { OutputEma = 0.9f }) with
        {
            MethodOptions = new Self2SelfPlusOptions { OutputEma = 0.9f, Passes = 7 },
        }).Denoise(noisy);
        Assert.Equal(a.Output.Data, b.Output.Data); // no prediction passes: the output is the training steps' average
        Assert.All(a.Output.Data, v => Assert.InRange(v, 0f, 1f));
    }

    [Theory]
    [InlineData(2.0, 0.0, 0)]
    [InlineData(2.0, 0.13, 0)]   // P(0) = e^−2 = 0.1353
    [InlineData(2.0, 0.14, 1)]
    [InlineData(2.0, 0.5, 2)]    // P(≤1) = 0.4060, P(≤2) = 0.6767
    [InlineData(2.0, 0.85, 3)]   // P(≤3) = 0.8571
    [InlineData(25.0, 0.999999999999, 68)]
    [InlineData(25.0, 0.9999999999999999, 76)] // the largest double below 1 ends where the tail stops adding up
    public void ThePoissonSamplerInvertsTheCdf(double mean, double u, int k) => Assert.Equal(k, PoissonRecorruption.Sample(mean, u));

    [Fact]
    public void RecorruptionHasThePoissonMeanAndVarianceAndKeepsZeros()
    {
        const int n = 40_000;
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = i % 4 == 0 ? 0f : 0.4f;
        var r = PoissonRecorruption.Apply(x, 25f, new Rng(9));
        Assert.All(Enumerable.Range(0, n).Where(i => i % 4 == 0), i => Assert.Equal(0f, r[i]));
        var kept = Enumerable.Range(0, n).Where(i => i % 4 != 0).Select(i => (double)r[i]).ToArray();
        double mean = kept.Average(), variance = kept.Select(v => (v - mean) * (v - mean)).Average();
        Assert.InRange(mean, 0.395, 0.405);             // E = x; standard error 0.0007
        Assert.InRange(variance, 0.0152, 0.0168);       // Var = x/λ = 0.016
        Assert.All(kept, v => Assert.Equal(Math.Round(v * 25), v * 25, 4)); // multiples of 1/λ
        Assert.Equal(r, PoissonRecorruption.Apply(x, 25f, new Rng(9)));
    }
}
