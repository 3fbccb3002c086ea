using System.Text.Json;
using Hush.Testing;
using static Hush.Cli.Tests.CliHarness;

namespace Hush.Cli.Tests;

/// <summary>The real-noise flags end to end: the noise kind in <c>hush info --noise</c>, and <c>--decorrelate</c> /
/// <c>--stabilize</c> reaching the run and its report.</summary>
public class RealNoiseCliTests
{
    private static string Data(params string[] parts) => SharedData.PathOf(["data", .. parts]);

    [Fact]
    public void InfoNamesTheNoiseKindAndStride()
    {
        var camera = Run("info", Data("real_noise", "SIDD", "NOISY_8.png"), "--noise");
        Assert.Equal(0, camera.ExitCode);
        Assert.Contains("kind: correlated, decorrelated at stride 2", camera.Out);
        Assert.Contains("; σ on the stride-2 sub-images ×2.03 (correlated noise hides from the σ estimate: ≥ 1.8)", camera.Out);
        Assert.Contains("\nrecommends hush denoise -m bm3d --decorrelate auto\nbecause    The noise is spatially correlated", camera.Out);
        var micrograph = Run("info", Data("microscopy", "confocal", "noisy", "mice.tif"), "--noise", "--json");
        var noise = JsonDocument.Parse(micrograph.Out).RootElement.GetProperty("noise");
        Assert.Equal("poisson-gaussian", noise.GetProperty("kind").GetString());
        Assert.Equal(1, noise.GetProperty("decorrelatingStride").GetInt32());
        Assert.Equal(3, noise.GetProperty("correlationHorizontal").GetArrayLength());
        Assert.InRange(noise.GetProperty("subImageSigmaRatio").GetDouble(), 0.9, 1.2); // white Poisson noise: as fine as coarse
        var choice = noise.GetProperty("recommendation");
        Assert.Equal(("signal-dependent-noise", "bm3d", "-m bm3d --stabilize anscombe"),
            (choice.GetProperty("row").GetString(), choice.GetProperty("method").GetString(), choice.GetProperty("flags").GetString()));
        Assert.StartsWith("The noise grows with the signal", choice.GetProperty("reason").GetString());
    }

    [Fact]
    public void DecorrelateAutoSplitsACameraPhotoAndSaysSo()
    {
        using var dir = new TempFolder();
        var r = Run("denoise", Data("real_noise", "SIDD", "NOISY_8.png"), "-o", dir.File("out.png"), "-m", "bm3d",
            "--decorrelate", "auto", "--json", "-t", "1");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(2, JsonDocument.Parse(r.Out).RootElement.GetProperty("decorrelationStride").GetInt32());
        var whole = Run("denoise", Data("real_noise", "SIDD", "NOISY_8.png"), "-o", dir.File("whole.png"), "-m", "bm3d", "-t", "1");
        Assert.Equal(0, whole.ExitCode);
        Assert.DoesNotContain("pixel-shuffled", whole.Out);
        Assert.NotEqual(File.ReadAllBytes(dir.File("out.png")), File.ReadAllBytes(dir.File("whole.png")));
    }

    [Fact]
    public void StabilizeReachesTheRunAndBadValuesAreRefused()
    {
        using var dir = new TempFolder();
        var r = Run("denoise", Data("microscopy", "confocal", "noisy", "mice.tif"), "-o", dir.File("out.tif"), "-m", "bm3d",
            "--stabilize", "auto", "--json", "-t", "1");
        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith("Poisson–Gaussian a", JsonDocument.Parse(r.Out).RootElement.GetProperty("noise").GetString());
        Assert.Equal(2, Run("denoise", "x.png", "-o", dir.File("y.png"), "--stabilize", "maybe").ExitCode);
        Assert.Equal(2, Run("denoise", "x.png", "-o", dir.File("y.png"), "--decorrelate", "9").ExitCode);
    }

    [Fact]
    public void ASavedModelIsRefusedForShuffledOrStabilizedTraining()
    {
        using var dir = new TempFolder();
        var r = Run("denoise", Data("real_noise", "SIDD", "NOISY_8.png"), "-o", dir.File("out.png"), "-m", "zs-n2n", "--decorrelate", "2",
            "--save-model", dir.File("m.hushmodel"), "-n", "2");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--decorrelate", r.Error);
        Assert.False(File.Exists(dir.File("out.png")));
    }
}
