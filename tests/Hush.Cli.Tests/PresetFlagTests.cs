using Hush.Denoising;
using Hush.Denoising.Methods.Blind2Grad;
using Hush.Denoising.Methods.Self2SelfPlus;

namespace Hush.Cli.Tests;

/// <summary>The presets of the real-noise forms on the command line: a preset sets its values, and the flags it sets
/// stay overridable whatever their order on the command line.</summary>
public class PresetFlagTests
{
    private static DenoiseOptions Read(params string[] args) => MethodFlagTests.Read(args);

    [Theory]
    [InlineData("--preset", "sidd", "--mask-p", "0.5")]
    [InlineData("--mask-p", "0.5", "--preset", "sidd")]
    public void SelfToSelfPlusPresetSetsTheIterationsAndAnExplicitMaskProbabilityWins(params string[] flags)
    {
        var o = Read(["-m", "self2self-plus", .. flags]);
        Assert.Equal((0.5f, 1000), (o.OptionsOf<Self2SelfPlusOptions>().MaskProbability, o.Iterations));
        Assert.Equal(20, Read(["-m", "self2self-plus", "--iterations", "20", .. flags]).Iterations);
        Assert.Equal((0.7f, 5000), (Read("-m", "self2self-plus", "--preset", "polyu").OptionsOf<Self2SelfPlusOptions>().MaskProbability,
            Read("-m", "self2self-plus", "--preset", "polyu").Iterations));
    }

    [Theory]
    [InlineData("--real-noise", "--omega", "0.7", "--dilation", "3")]
    [InlineData("--omega", "0.7", "--dilation", "3", "--real-noise")]
    public void BlindToGradRealNoiseSetsItsValuesAndLaterFlagsWin(params string[] flags)
    {
        var o = Read(["-m", "blind2grad", .. flags]);
        var b = o.OptionsOf<Blind2GradOptions>();
        Assert.Equal((true, 0.7f, 0.5f, 3, 1e-5f), (b.RealNoise, b.Omega, b.Gamma, b.Dilation, o.EffectiveLearningRate));
        Assert.Equal(2e-4f, Read(["-m", "blind2grad", "--lr", "2e-4", .. flags]).EffectiveLearningRate);
        var plain = Read("-m", "blind2grad", "--real-noise").OptionsOf<Blind2GradOptions>();
        Assert.Equal((0.5f, 0.5f, 2), (plain.Omega, plain.Gamma, plain.Dilation));
    }

    [Fact]
    public void AnUnknownPresetIsAUsageError() =>
        Assert.Contains("preset", Assert.Throws<UsageException>(() => Read("-m", "self2self-plus", "--preset", "cbsd68")).Message);
}
