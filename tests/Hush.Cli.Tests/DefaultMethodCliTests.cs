using System.Text.Json;
using Hush.Testing;
using static Hush.Cli.Tests.CliHarness;

namespace Hush.Cli.Tests;

/// <summary><c>hush denoise</c> without --method runs auto; a flag that sets what auto chooses is refused in one line
/// that names a method taking it (it meant zs-n2n before auto was the default), and a named method keeps its flags.</summary>
public class DefaultMethodCliTests
{
    private static string Sample => Path.Combine(SharedData.RepositoryRoot(), "samples", "kodim03-crop-g25.png"); // 128² RGB, σ = 25

    [Fact]
    public void NoMethodIsAutoAndReportsItsChoice()
    {
        Assert.Equal("auto", MethodFlagTests.Read().Method);
        using var dir = new TempFolder();
        var json = Run("denoise", Sample, "-o", dir.File("default.png"), "-t", "1", "--json");
        Assert.Equal((0, ""), (json.ExitCode, json.Error));
        var report = JsonDocument.Parse(json.Out).RootElement;
        Assert.Equal(("white-gaussian-noise", "-m bm3d"), (report.GetProperty("auto").GetProperty("row").GetString(),
            report.GetProperty("auto").GetProperty("flags").GetString()));
        Assert.Equal("bm3d", report.GetProperty("method").GetString());

        Assert.Equal(0, Run("denoise", Sample, "-o", dir.File("auto.png"), "-m", "auto", "-t", "1", "-q").ExitCode);
        Assert.Equal(File.ReadAllBytes(dir.File("auto.png")), File.ReadAllBytes(dir.File("default.png")));

        var text = Run("denoise", Sample, "-o", dir.File("text.png"), "-t", "1");
        Assert.StartsWith("auto: -m bm3d (white-gaussian-noise). The noise is white", text.Out);
        Assert.StartsWith("Without -m, hush denoise runs auto: it measures each image's noise", Run("methods").Out);
    }

    [Theory]
    [InlineData("hush: --iterations needs a trained method: add -m zs-n2n (or another; the default, auto, chooses its own method and settings)", "--iterations", "300")]
    [InlineData("hush: --lr needs a trained method: add -m zs-n2n (or another; the default, auto, chooses its own method and settings)", "--lr", "0.01")]
    [InlineData("hush: --checkpoint-every needs a trained method: add -m zs-n2n (or another; the default, auto, chooses its own method and settings)", "--checkpoint-every", "10")]
    [InlineData("hush: --save-model needs a method with a reusable network: add -m zs-n2n (or another; the default, auto, chooses its own method and settings)", "--save-model", "m.hushmodel")]
    [InlineData("hush: --early-stop needs a method with a stopping rule: add -m zs-n2n (or another; the default, auto, chooses its own method and settings)", "--early-stop")]
    [InlineData("hush: --train-planes needs a method that shares one model between planes: add -m zs-n2n (or another; the default, auto, chooses its own method and settings)", "--train-planes", "2")]
    [InlineData("hush: --decorrelate needs a named method: add -m bm3d (or another; the default, auto, chooses its own method and settings)", "--decorrelate", "auto")]
    [InlineData("hush: --stabilize needs a named method: add -m bm3d (or another; the default, auto, chooses its own method and settings)", "--stabilize", "anscombe")]
    [InlineData("hush: --sigma is a setting of bm3d: add -m bm3d (the default, auto, chooses its own method and settings)", "--sigma", "5")]
    [InlineData("hush: --passes is a setting of self2self-plus, self2self and blind2grad: add -m self2self-plus (or another of them; the default, auto, chooses its own method and settings)", "--passes", "3")]
    public void WithoutAMethodAFlagThatAutoWouldSetIsRefusedNamingAMethod(string message, params string[] flag)
    {
        using var dir = new TempFolder();
        var r = Run(["denoise", Sample, "-o", dir.File("out.png"), .. flag]);
        Assert.Equal((2, message), (r.ExitCode, r.Error.TrimEnd()));
        Assert.Empty(r.Out);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void AnImageTooSmallToMeasureSaysToNameAMethod()
    {
        using var dir = new TempFolder();
        string input = TestImages.Png(dir.File("in.png")); // 14×12: too few patches for the noise estimate
        var r = Run("denoise", input, "-o", dir.File("out.png"), "-q");
        Assert.Equal(3, r.ExitCode);
        Assert.Equal($"hush: {input}: --method auto (the default) cannot measure the noise: A 14×12 plane is too small to estimate noise: " +
                     "it needs at least 512 overlapping 4×4 patches (about 26×26 pixels); name a method, e.g. -m zs-n2n", r.Error.TrimEnd());
        Assert.Equal(0, Run("denoise", input, "-o", dir.File("out.png"), "-m", "zs-n2n", "-n", "2", "-q").ExitCode);
    }

    [Fact]
    public void ANamedMethodKeepsItsIterations()
    {
        using var dir = new TempFolder();
        var r = Run("denoise", Sample, "-o", dir.File("out.png"), "-m", "zs-n2n", "--iterations", "3", "--seed", "1", "-t", "1", "--json");
        Assert.Equal((0, ""), (r.ExitCode, r.Error));
        var report = JsonDocument.Parse(r.Out).RootElement;
        Assert.Equal(("zs-n2n", 3), (report.GetProperty("method").GetString(), report.GetProperty("iterations").GetInt32()));
        Assert.False(report.TryGetProperty("auto", out _));
    }
}
