using Hush.Cli.Quality;
using Hush.Denoising;
using Hush.Imaging;
using Hush.Testing;
using static Hush.Cli.Tests.CliHarness;

namespace Hush.Cli.Tests;

public class Blind2GradCliTests
{
    [Theory]
    [InlineData("--omega", "-1")]
    [InlineData("--gamma", "nan")]
    [InlineData("--detail-threshold", "-5")]
    [InlineData("--detail-mask-ratio", "2")]
    [InlineData("--standout-threshold", "inf")]
    [InlineData("--cycle-length", "0")]
    [InlineData("--lr", "0")]
    public void BadBlind2GradSettingsExitTwo(string option, string value)
    {
        var r = Run("denoise", "in.png", "-o", "out.png", "-m", "blind2grad", option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("hush:", r.Error);
    }

    [Fact]
    public void HelpNamesTheMethodAndItsOptions()
    {
        var r = Run("denoise", "--help");
        Assert.Equal(0, r.ExitCode);
        foreach (string s in new[] { "blind2grad", "--omega", "--gamma", "--detail-threshold", "--detail-mask-ratio", "--standout-threshold",
                     "--cycle-length", "--lr", "--no-dual-mask", "--no-standout" })
            Assert.Contains(s, r.Out);
    }

    [Fact]
    public void TheMethodRunsFromTheCommandLine()
    {
        using var dir = new TempFolder();
        string input = dir.File("in.png");
        ImageFile.Write(ImageFile.Read(SharedData.PathOf("data", "Set12", "08.png")).Crop(0, 0, 24, 20), input);
        var r = Run("denoise", input, "-o", dir.File("out.png"), "-m", "blind2grad", "-n", "2", "--passes", "2",
            "--mask-p", "0.3", "--omega", "0.5", "--cycle-length", "1", "--no-standout", "--seed", "1", "--threads", "2", "--json");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("\"method\":\"blind2grad\"", r.Out);
        Assert.Contains("\"iterations\":2", r.Out);
        var output = ImageFile.Read(dir.File("out.png"));
        Assert.Equal((24, 20), (output.Width, output.Height));
    }

    [Fact]
    public void TheAblationSweepGivesTheFourStepsAndOnlyBlind2GradIsMultiplied()
    {
        var b2g = SweepParameters.Expand(new DenoiseOptions { Method = "blind2grad" }, ["ablation=plain,dual-mask,gradient,full"]);
        Assert.Equal(new[] { (false, 0f, false), (true, 0f, false), (true, 0.8f, false), (true, 0.8f, true) },
            b2g.Select(o => o.OptionsOf<Blind2GradOptions>()).Select(b => (b.DualMask, b.Omega, b.Standout)));
        Assert.Equal(new[] { "plain", "dual-mask", "gradient", "full" }, b2g.Select(o => SweepParameters.Settings(o)["ablation"]));
        Assert.Equal("", SweepParameters.Label(b2g[3])); // the defaults
        Assert.Single(SweepParameters.Expand(new DenoiseOptions { Method = "zs-n2n" }, ["ablation=plain,full"]));

        var lr = SweepParameters.Expand(new DenoiseOptions { Method = "blind2grad" }, ["lr=4e-4", "omega=0.5", "standout=off"]);
        var swept = lr[0].OptionsOf<Blind2GradOptions>();
        Assert.Equal((4e-4f, 0.5f, false), (lr[0].EffectiveLearningRate, swept.Omega, swept.Standout));
        Assert.Equal("gradient", SweepParameters.Settings(lr[0])["ablation"]); // dual mask + ω > 0, standout off
        var custom = SweepParameters.Expand(new DenoiseOptions { Method = "blind2grad" }, ["dual-mask=off"]);
        Assert.Equal("custom", SweepParameters.Settings(custom[0])["ablation"]);
        Assert.Throws<UsageException>(() => SweepParameters.Expand(new DenoiseOptions { Method = "blind2grad" }, ["ablation=half"]));
        Assert.Throws<UsageException>(() => SweepParameters.Expand(new DenoiseOptions { Method = "blind2grad" }, ["gradient-layer=7"]));
        Assert.Throws<UsageException>(() => SweepParameters.Expand(new DenoiseOptions { Method = "blind2grad" }, ["omega=-1"]));
    }
}
