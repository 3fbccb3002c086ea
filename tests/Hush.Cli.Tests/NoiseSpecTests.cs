using Hush.Cli.Quality;
using Hush.Denoising.Noise;
using Hush.Imaging;

namespace Hush.Cli.Tests;

/// <summary>bench quality's --noise labels: each kind parses to its levels and applies the noise it names.</summary>
public class NoiseSpecTests
{
    [Theory]
    [InlineData("g25", 'g', 25, 0, false)]
    [InlineData("P30", 'p', 30, 0, false)]
    [InlineData("g25u", 'g', 25, 0, true)]
    [InlineData("v5-50", 'v', 5, 50, false)]
    [InlineData("p50g10", 'm', 50, 10, false)]
    [InlineData("p12.5g2.5u", 'm', 12.5, 2.5, true)]
    public void ALabelParsesToItsKindAndLevels(string text, char kind, double level, double second, bool unclipped)
    {
        var spec = NoiseSpec.Parse(text);
        Assert.Equal((text.ToLowerInvariant(), kind, level, second, unclipped), (spec.Label, spec.Kind, spec.Level, spec.Second, spec.Unclipped));
    }

    [Theory]
    [InlineData("v5")]
    [InlineData("v-5-50")]
    [InlineData("g10p5")]
    [InlineData("p0g10")]
    [InlineData("p50g")]
    public void AMalformedLabelIsAUsageError(string text)
    {
        var e = Assert.Throws<UsageException>(() => NoiseSpec.Parse(text));
        Assert.StartsWith("--noise:", e.Message);
    }

    [Fact]
    public void EachKindAppliesItsOwnNoise()
    {
        var clean = new Image(16, 16, 1, Enumerable.Range(0, 256).Select(i => i / 255f).ToArray());
        Assert.Equal(NoiseSynthesis.AddVaryingGaussian(clean, 5, 50, 9).Data, NoiseSpec.Parse("v5-50").Apply(clean, 9).Data);
        Assert.Equal(NoiseSynthesis.AddPoissonGaussian(clean, 50, 10, 9).Data, NoiseSpec.Parse("p50g10").Apply(clean, 9).Data);
        Assert.Equal(NoiseSynthesis.AddPoissonGaussian(clean, 50, 10, 9, clip: false).Data, NoiseSpec.Parse("p50g10u").Apply(clean, 9).Data);
        Assert.Equal(NoiseSynthesis.AddPoisson(clean, 50, 9).Data, NoiseSpec.Parse("p50").Apply(clean, 9).Data);
    }
}
