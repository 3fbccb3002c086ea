using System.Text.Json;
using Hush.Imaging;
using Hush.Testing;
using static Hush.Cli.Tests.CliHarness;

namespace Hush.Cli.Tests;

public class CliTests
{
    private static string Clean64(TempFolder dir)
    {
        var image = ImageFile.Read(SharedData.PathOf("data", "Kodak24", "kodim03.png")).Crop(100, 100, 48, 40);
        string path = dir.File("clean.png");
        ImageFile.Write(image, path);
        return path;
    }

    [Fact]
    public void NoiseThenDenoiseThenMetricsWorkEndToEndWithJson()
    {
        using var dir = new TempFolder();
        string clean = Clean64(dir), noisy = dir.File("noisy.png"), denoised = dir.File("denoised.png");

        var n = Run("noise", clean, "-o", noisy, "--gaussian", "25", "--seed", "3", "--json");
        Assert.Equal(0, n.ExitCode);
        using (var j = JsonDocument.Parse(n.Out))
            Assert.Equal("3", j.RootElement.GetProperty("seed").GetString());
        Assert.Equal(16, ImageFile.Read(noisy).BitDepth);

        var d = Run("denoise", noisy, "-o", denoised, "-m", "zs-n2n", "--iterations", "30", "--seed", "7", "--threads", "1", "--json");
        Assert.Equal(0, d.ExitCode);
        Assert.Equal("", d.Error);
        using (var j = JsonDocument.Parse(d.Out))
        {
            var r = j.RootElement;
            Assert.Equal("zs-n2n", r.GetProperty("method").GetString());
            Assert.Equal(30, r.GetProperty("iterations").GetInt32());
            Assert.Equal("7", r.GetProperty("seed").GetString());
            Assert.Equal(1, r.GetProperty("threads").GetInt32());
            Assert.True(r.GetProperty("seconds").GetDouble() > 0);
            Assert.Equal(noisy, r.GetProperty("input").GetString());
            Assert.Equal(denoised, r.GetProperty("output").GetString());
        }
        var output = ImageFile.Read(denoised);
        Assert.Equal((48, 40, 3, 16), (output.Width, output.Height, output.Channels, output.BitDepth));

        var m = Run("metrics", noisy, "--reference", clean, "--json");
        Assert.Equal(0, m.ExitCode);
        using (var j = JsonDocument.Parse(m.Out))
        {
            double psnr = j.RootElement.GetProperty("psnr").GetDouble();
            Assert.InRange(psnr, 19, 22.5); // σ=25 noise on an 8-bit image
        }
        Assert.Matches(@"^PSNR \d+\.\d{4} dB  SSIM \d\.\d{6}\s*$", Run("metrics", noisy, "-r", clean).Out);
    }

    [Fact]
    public void ACorruptInputGivesOneLineNamingTheFileExitThreeAndNoOutput()
    {
        using var dir = new TempFolder();
        string bad = dir.File("broken.png"), output = dir.File("out.png");
        File.WriteAllBytes(bad, [0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10, 0, 0]);
        var r = Run("denoise", bad, "-o", output, "-m", "zs-n2n", "--iterations", "2");
        Assert.Equal(3, r.ExitCode);
        Assert.Single(r.Error.TrimEnd().Split('\n'));
        Assert.Contains("broken.png", r.Error);
        Assert.DoesNotContain("   at ", r.Error); // no stack trace
        Assert.Equal(new[] { bad }, Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void AMissingInputIsInvalidInput()
    {
        using var dir = new TempFolder();
        var r = Run("metrics", dir.File("nope.png"), "-r", dir.File("nope2.png"));
        Assert.Equal(3, r.ExitCode);
        Assert.Contains("nope.png", r.Error);
    }

    [Fact]
    public void OutputOverTheInputIsRefusedAndTheInputIsUntouched()
    {
        using var dir = new TempFolder();
        string clean = Clean64(dir);
        byte[] before = File.ReadAllBytes(clean);
        var r = Run("denoise", clean, "-o", clean, "-m", "zs-n2n", "--iterations", "2", "--overwrite");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("over the input", r.Error);
        Assert.Equal(before, File.ReadAllBytes(clean));
    }

    [Fact]
    public void AnExistingOutputIsKeptUnlessOverwriteIsGiven()
    {
        using var dir = new TempFolder();
        string clean = Clean64(dir), output = dir.File("out.png");
        File.WriteAllText(output, "precious");
        var r = Run("noise", clean, "-o", output, "--gaussian", "10", "--seed", "1");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("precious", File.ReadAllText(output));
        Assert.Equal(0, Run("noise", clean, "-o", output, "--gaussian", "10", "--seed", "1", "--overwrite", "-q").ExitCode);
        Assert.Equal(40, ImageFile.Read(output).Height);
    }

    [Fact]
    public void AMissingOutputFolderIsCreatedForOneFileAsForABatch()
    {
        using var dir = new TempFolder();
        string clean = Clean64(dir), output = dir.File("missing/sub/out.png");
        var r = Run("denoise", clean, "-o", output, "-m", "zs-n2n", "--iterations", "2", "-q");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal((48, 40), (ImageFile.Read(output).Width, ImageFile.Read(output).Height));
        Assert.Equal(new[] { "out.png" }, Directory.GetFiles(dir.File("missing/sub")).Select(Path.GetFileName)); // no probe left
    }

    [Theory]
    [InlineData("denoise")]
    [InlineData("denoise", "in.png")]
    [InlineData("denoise", "in.png", "-o", "out.png", "--iterations", "0")]
    [InlineData("denoise", "in.png", "-o", "out.png", "--method", "magic")]
    [InlineData("noise", "in.png", "-o", "out.png")]
    [InlineData("noise", "in.png", "-o", "out.png", "--gaussian", "5", "--poisson", "5")]
    [InlineData("noise", "in.png", "-o", "out.png", "--gaussian", "5", "--bit-depth", "12")]
    [InlineData("noise", "in.png", "-o", "out.png", "--gaussian", "5", "--gaussian", "6")]
    [InlineData("frobnicate")]
    public void BadUsageExitsTwo(params string[] args)
    {
        var r = Run(args);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("hush:", r.Error);
    }

    [Fact]
    public void LotaN2NRunsFromTheCommandLineAndItsStageSettingsAreChecked()
    {
        using var dir = new TempFolder();
        string input = Clean64(dir);
        var ok = Run("denoise", input, "-o", dir.File("l.png"), "-m", "lota-n2n", "-n", "20",
            "--fine-tune-iterations", "5", "--trace-patch", "8", "--trace-weight", "2", "--seed", "1", "--json");
        Assert.Equal(0, ok.ExitCode);
        Assert.Contains("\"method\":\"lota-n2n\"", ok.Out);
        var bad = Run("denoise", input, "-o", dir.File("m.png"), "-m", "lota-n2n", "-n", "20", "--fine-tune-iterations", "20");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("fine-tune", bad.Error);
        Assert.False(File.Exists(dir.File("m.png")));
    }

    [Fact]
    public void UnknownOutputExtensionIsBadUsage()
    {
        using var dir = new TempFolder();
        var r = Run("noise", Clean64(dir), "-o", dir.File("out.gif"), "--gaussian", "5");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("out.gif", r.Error);
    }

    [Fact]
    public void MetricsOfDifferentSizesIsInvalidInput()
    {
        var r = Run("metrics", SharedData.PathOf("data", "Set12", "01.png"), "-r", SharedData.PathOf("data", "Set12", "08.png"));
        Assert.Equal(3, r.ExitCode);
        Assert.Contains("01.png", r.Error);
    }
}

public class BenchCommandTests
{
    [Fact]
    public void BenchSpeedPrintsOneJsonLinePerConfiguration()
    {
        var r = CliHarness.Run("bench", "speed", "--sizes", "16x12,8x8", "--channels", "1", "--threads", "1", "-n", "3", "--warmup", "1", "--json");
        Assert.Equal(0, r.ExitCode);
        var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        using var j = System.Text.Json.JsonDocument.Parse(lines[0]);
        Assert.Equal(16, j.RootElement.GetProperty("width").GetInt32());
        Assert.Equal(3, j.RootElement.GetProperty("msPerIter").GetArrayLength());
        Assert.True(j.RootElement.GetProperty("medianMs").GetDouble() > 0);
    }

    [Fact]
    public void BenchSpeedRejectsAMalformedSize()
    {
        var r = CliHarness.Run("bench", "speed", "--sizes", "16by12");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--sizes", r.Error);
    }
}
