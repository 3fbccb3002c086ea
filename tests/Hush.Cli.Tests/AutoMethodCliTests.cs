using System.Text.Json;
using Hush.Testing;
using static Hush.Cli.Tests.CliHarness;

namespace Hush.Cli.Tests;

/// <summary><c>hush denoise --method auto</c>: the noise report's choice runs, is reported, and is exactly the run the
/// recommended flags make; flags that would set what auto chooses are refused before anything is written.</summary>
public class AutoMethodCliTests
{
    private static string Camera => SharedData.PathOf("data", "real_noise", "SIDD", "NOISY_8.png");

    [Fact]
    public void AutoRunsTheRecommendedSettingAndSaysWhy()
    {
        using var dir = new TempFolder();
        var auto = Run("denoise", Camera, "-o", dir.File("auto.png"), "-m", "auto", "--seed", "0", "-t", "1", "--json");
        Assert.Equal(0, auto.ExitCode);
        var report = JsonDocument.Parse(auto.Out).RootElement;
        var choice = report.GetProperty("auto");
        Assert.Equal(("correlated-camera-noise", "-m bm3d --decorrelate auto"), (choice.GetProperty("row").GetString(), choice.GetProperty("flags").GetString()));
        Assert.StartsWith("The noise is spatially correlated", choice.GetProperty("reason").GetString());
        Assert.Equal(("bm3d", 2), (report.GetProperty("method").GetString(), report.GetProperty("decorrelationStride").GetInt32()));

        var named = Run("denoise", Camera, "-o", dir.File("named.png"), "-m", "bm3d", "--decorrelate", "auto", "--seed", "0", "-t", "1", "--json");
        Assert.Equal(0, named.ExitCode);
        Assert.False(JsonDocument.Parse(named.Out).RootElement.TryGetProperty("auto", out _));
        Assert.Equal(File.ReadAllBytes(dir.File("named.png")), File.ReadAllBytes(dir.File("auto.png")));
    }

    [Fact]
    public void TheTextSummaryStartsWithTheChoice()
    {
        using var dir = new TempFolder();
        var r = Run("denoise", Camera, "-o", dir.File("auto.png"), "-m", "auto", "-t", "1");
        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith("auto: -m bm3d --decorrelate auto (correlated-camera-noise). The noise is spatially correlated", r.Out);
        Assert.Contains("wrote " + dir.File("auto.png") + " (bm3d, no training, pixel-shuffled at stride 2", r.Out);
    }

    [Fact]
    public void ABudgetTooShortForSelf2SelfPlusKeepsBm3dAndTheBudgetReachesTheRun()
    {
        using var dir = new TempFolder();
        var r = Run("denoise", Camera, "-o", dir.File("auto.png"), "-m", "auto", "--time-budget", "60s", "-t", "2", "--json");
        Assert.Equal(0, r.ExitCode);
        var report = JsonDocument.Parse(r.Out).RootElement;
        Assert.Equal("correlated-camera-noise", report.GetProperty("auto").GetProperty("row").GetString()); // 632 s needed
        Assert.False(report.GetProperty("stoppedByTimeBudget").GetBoolean());
    }

    [Theory]
    [InlineData("--iterations", "--iterations", "5")]
    [InlineData("--lr", "--lr", "0.01")]
    [InlineData("--decorrelate", "--decorrelate", "2")]
    [InlineData("--stabilize", "--stabilize", "anscombe")]
    [InlineData("--checkpoint-every", "--checkpoint-every", "10")]
    [InlineData("--save-model", "--save-model", "m.hushmodel")]
    [InlineData("--early-stop", "--early-stop")]
    [InlineData("--train-planes", "--train-planes", "2")]
    public void FlagsThatAutoWouldSetAreRefused(string flag, params string[] args)
    {
        using var dir = new TempFolder();
        var r = Run(["denoise", Camera, "-o", dir.File("out.png"), "-m", "auto", .. args]);
        Assert.Equal((2, $"hush: {flag} does not go with --method auto, which chooses the method and its settings per image; name a method to set it"),
            (r.ExitCode, r.Error.TrimEnd()));
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void AMethodsOwnFlagIsRefusedWithAuto()
    {
        using var dir = new TempFolder();
        var r = Run("denoise", Camera, "-o", dir.File("out.png"), "-m", "auto", "--sigma", "5");
        Assert.Equal((2, "hush: --sigma is a setting of bm3d, not auto"), (r.ExitCode, r.Error.TrimEnd()));
        Assert.Empty(Directory.GetFiles(dir.Path));
    }
}
