using System.Text.Json;
using Hush.Denoising.Noise;
using Hush.Imaging;
using Hush.Testing;
using static Hush.Cli.Tests.CliHarness;

namespace Hush.Cli.Tests;

/// <summary>bm3d from the command line: the result names the noise level used instead of iterations, as text and as
/// valid JSON (no NaN loss), and its settings are checked.</summary>
public class Bm3dCliTests
{
    [Fact]
    public void TheResultNamesTheSigmaUsedGivenOrEstimated()
    {
        using var dir = new TempFolder();
        string input = dir.File("in.png");
        var clean = ImageFile.Read(SharedData.PathOf("data", "Set12", "08.png")).Crop(100, 100, 96, 96);
        ImageFile.Write(NoiseSynthesis.AddGaussian(clean, 25, seed: 1), input);

        var text = Run("denoise", input, "-o", dir.File("a.png"), "-m", "bm3d", "--sigma", "25");
        Assert.Equal(0, text.ExitCode);
        Assert.Contains("(bm3d, Gaussian σ 25/255, given,", text.Out);

        var json = Run("denoise", input, "-o", dir.File("b.png"), "-m", "bm3d", "--json");
        Assert.Equal(0, json.ExitCode);
        using var doc = JsonDocument.Parse(json.Out);
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("iterations").ValueKind);
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("finalLoss").ValueKind);
        Assert.Contains("estimated", doc.RootElement.GetProperty("noise").GetString());
    }

    [Theory]
    [InlineData("--sigma", "-1")]
    [InlineData("--poisson-gain", "-0.1")]
    [InlineData("--profile", "fast")]
    [InlineData("--noise-model", "speckle")]
    public void BadSettingsExitTwo(string option, string value)
    {
        var r = Run("denoise", "in.png", "-o", "out.png", "-m", "bm3d", option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("hush:", r.Error);
    }
}
