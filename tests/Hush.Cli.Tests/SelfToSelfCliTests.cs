using Hush.Imaging;
using Hush.Testing;
using static Hush.Cli.Tests.CliHarness;

namespace Hush.Cli.Tests;

public class SelfToSelfCliTests
{
    [Theory]
    [InlineData("--mask-p", "0")]
    [InlineData("--mask-p", "1")]
    [InlineData("--mask-p", "nan")]
    [InlineData("--dropout", "1")]
    [InlineData("--dropout", "-0.5")]
    [InlineData("--passes", "0")]
    public void BadSelfToSelfSettingsExitTwo(string option, string value)
    {
        var r = Run("denoise", "in.png", "-o", "out.png", "-m", "self2self-plus", option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("hush:", r.Error);
    }

    [Fact]
    public void HelpSaysTheIqaTermIsOffAndNamesTheNewOptions()
    {
        var r = Run("denoise", "--help");
        Assert.Equal(0, r.ExitCode);
        foreach (string s in new[] { "self2self-plus", "self2self", "IQA", "--mask-p", "--dropout", "--passes" }) Assert.Contains(s, r.Out);
    }

    [Theory]
    [InlineData("self2self-plus")]
    [InlineData("self2self")]
    public void TheMethodsRunFromTheCommandLine(string method)
    {
        using var dir = new TempFolder();
        string input = dir.File("in.png");
        ImageFile.Write(ImageFile.Read(SharedData.PathOf("data", "Set12", "08.png")).Crop(0, 0, 24, 20), input);
        var r = Run("denoise", input, "-o", dir.File("out.png"), "-m", method, "-n", "2", "--passes", "2",
            "--mask-p", "0.5", "--dropout", "0.2", "--seed", "1", "--threads", "2", "--json");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains($"\"method\":\"{method}\"", r.Out);
        Assert.Contains("\"iterations\":2", r.Out);
        var output = ImageFile.Read(dir.File("out.png"));
        Assert.Equal((24, 20), (output.Width, output.Height));
    }
}
