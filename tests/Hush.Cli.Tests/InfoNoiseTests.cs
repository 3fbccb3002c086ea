using System.Text.Json;
using Hush.Denoising.Noise;
using Hush.Imaging;
using Hush.Testing;
using static Hush.Cli.Tests.CliHarness;

namespace Hush.Cli.Tests;

public class InfoNoiseTests
{
    // A flat grey or RGB image with σ = 20 noise, stored at 16 bits so that rounding adds next to nothing.
    private static string NoisyFlat(TempFolder dir, int channels)
    {
        var flat = new Image(96, 96, channels, Enumerable.Repeat(0.5f, 96 * 96 * channels).ToArray());
        string path = dir.File($"flat{channels}.png");
        ImageFile.Write(NoiseSynthesis.AddGaussian(flat, 20, seed: 3), path, bitDepth: 16);
        return path;
    }

    [Fact]
    public void NoiseFlagReportsSigmaAndThePoissonGaussianFit()
    {
        using var dir = new TempFolder();
        string grey = NoisyFlat(dir, 1);
        var text = Run("info", grey, "--noise");
        Assert.Equal(0, text.ExitCode);
        var m = System.Text.RegularExpressions.Regex.Match(text.Out, @"noise\s+σ ≈ ([0-9.]+)/255; Poisson–Gaussian a = \S+, b = \S+");
        Assert.True(m.Success, text.Out);
        Assert.InRange(double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 19, 21);
        Assert.DoesNotContain("noise", Run("info", grey).Out);

        var rgb = Run("info", NoisyFlat(dir, 3), "--noise", "--json");
        Assert.Equal(0, rgb.ExitCode);
        var noise = JsonDocument.Parse(rgb.Out).RootElement.GetProperty("noise");
        Assert.InRange(noise.GetProperty("sigma").GetDouble() * 255, 19, 21);
        Assert.Equal(3, noise.GetProperty("sigmaPerChannel").GetArrayLength());
        // One intensity cannot separate a from b, so check the modelled σ at that intensity.
        double modelled = Math.Sqrt(noise.GetProperty("poissonA").GetDouble() * 0.5 + noise.GetProperty("poissonB").GetDouble());
        Assert.InRange(modelled * 255, 19, 21);
        Assert.False(JsonDocument.Parse(Run("info", grey, "--json").Out).RootElement.TryGetProperty("noise", out _));
        Assert.Contains("per channel", Run("info", dir.File("flat3.png"), "--noise").Out);
    }

    [Fact]
    public void TooSmallAnImageSaysWhyInsteadOfFailing()
    {
        using var dir = new TempFolder();
        string path = dir.File("tiny.png");
        ImageFile.Write(new Image(12, 12, 1), path);
        var r = Run("info", path, "--noise");
        Assert.Equal(0, r.ExitCode);
        Assert.Matches(@"noise\s+cannot estimate: .*too small", r.Out);
    }

    [Fact]
    public void BenchNoisePrintsOneRowPerLevelAndClipping()
    {
        var r = Run("bench", "noise", "--clean", SharedData.PathOf("data", "Set12", "01.png"), "--sigmas", "25");
        Assert.Equal(0, r.ExitCode);
        Assert.Matches(@"\| 25 \| unclipped \| 2[45]\.\d\d \|", r.Out);
        Assert.Contains("| 25 | clipped |", r.Out);
        Assert.Equal(2, Run("bench", "noise").ExitCode);
    }
}
