using System.Text.Json;
using Hush.Imaging;
using static Hush.Cli.Tests.CliHarness;

namespace Hush.Cli.Tests;

public class StackCliTests
{
    private static readonly string[] Quick = ["-m", "zs-n2n", "-n", "3", "--seed", "1", "--threads", "1"];

    private static JsonElement Json(Outcome r) => JsonDocument.Parse(r.Out).RootElement.Clone();

    [Fact]
    public void A3DNpyStackIsDenoisedPlaneByPlaneKeepingShapeAndDtype()
    {
        using var dir = new TempFolder();
        string input = TestImages.Stack(dir.File("z.npy"), "ZYX", [3, 12, 10], SampleType.UInt16);
        var r = Run(["denoise", input, "-o", dir.File("out.npy"), "--json", .. Quick]);
        Assert.Equal(0, r.ExitCode);
        var j = Json(r);
        Assert.Equal((3, 3, "ZYX", "uint16"), (j.GetProperty("planes").GetInt32(), j.GetProperty("models").GetInt32(),
            j.GetProperty("axes").GetString(), j.GetProperty("sampleType").GetString()));
        var output = ImageFile.ReadStack(dir.File("out.npy"));
        Assert.Equal(new[] { 3, 12, 10 }, output.Shape);
        Assert.Equal(SampleType.UInt16, output.SampleType);
        Assert.NotEqual(ImageFile.ReadStack(input).Data, output.Data);
    }

    [Fact]
    public void A4DTiffKeepsItsAxesAndOneSharedModelIsTrainedWithTrainPlanes()
    {
        using var dir = new TempFolder();
        string input = TestImages.Stack(dir.File("zc.tif"), "ZCYX", [4, 2, 12, 10], SampleType.UInt8);
        var r = Run(["denoise", input, "-o", dir.File("out.tif"), "--train-planes", "2", "--json", .. Quick]);
        Assert.Equal(0, r.ExitCode);
        var j = Json(r);
        Assert.Equal((4, 1, 2), (j.GetProperty("planes").GetInt32(), j.GetProperty("models").GetInt32(), j.GetProperty("channels").GetInt32()));
        var output = ImageFile.ReadStack(dir.File("out.tif"));
        Assert.Equal(("ZCYX", SampleType.UInt8), (output.Axes, output.SampleType));
        Assert.Equal(new[] { 4, 2, 12, 10 }, output.Shape);
    }

    [Fact]
    public void AxesOverrideTheNpyShapeRule()
    {
        using var dir = new TempFolder();
        // (8, 9, 2) reads as ZYX by the NPY rule: 8 planes of 9×2. As YXC it is one 8×9 image with 2 channels.
        string input = TestImages.Stack(dir.File("yxc.npy"), "ZYX", [8, 9, 2], SampleType.UInt8);
        var asStack = Run(["denoise", input, "-o", dir.File("a.npy"), "--json", .. Quick]);
        Assert.Equal(8, Json(asStack).GetProperty("planes").GetInt32());
        var asImage = Run(["denoise", input, "-o", dir.File("b.npy"), "--axes", "YXC", "--json", .. Quick]);
        Assert.Equal(0, asImage.ExitCode);
        Assert.Equal((1, 2), (Json(asImage).GetProperty("planes").GetInt32(), Json(asImage).GetProperty("channels").GetInt32()));
        var bad = Run(["denoise", input, "-o", dir.File("c.npy"), "--axes", "YX", .. Quick]);
        Assert.Equal(3, bad.ExitCode);
        Assert.Contains("yxc.npy", bad.Error);
    }

    [Fact]
    public void AStackIntoPngIsRefusedBeforeTrainingAndFloatIntoPngToo()
    {
        using var dir = new TempFolder();
        string stack = TestImages.Stack(dir.File("z.tif"), "ZYX", [2, 8, 8], SampleType.UInt8);
        var r = Run(["denoise", stack, "-o", dir.File("out.png"), .. Quick]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("out.png", r.Error);
        Assert.Contains("2 planes", r.Error);
        string floats = TestImages.Stack(dir.File("f.npy"), "YX", [8, 8], SampleType.Float32, i => i * 0.01);
        var f = Run(["denoise", floats, "-o", dir.File("f.png"), .. Quick]);
        Assert.Equal(2, f.ExitCode);
        Assert.Contains("float32", f.Error);
        Assert.Equal(0, Run(["denoise", floats, "-o", dir.File("f16.png"), "--bit-depth", "16", .. Quick]).ExitCode);
        Assert.False(File.Exists(dir.File("out.png")));
    }

    [Fact]
    public void FloatDataOutsideZeroToOneComesBackInItsOwnRange()
    {
        using var dir = new TempFolder();
        string input = TestImages.Stack(dir.File("f.tif"), "ZYX", [2, 10, 10], SampleType.Float32, i => 1000 + (i * 37 % 100));
        Assert.Equal(0, Run(["denoise", input, "-o", dir.File("o.tif"), .. Quick]).ExitCode);
        var output = ImageFile.ReadStack(dir.File("o.tif"));
        Assert.Equal(SampleType.Float32, output.SampleType);
        Assert.All(output.Data, v => Assert.InRange(v, 1000f, 1100f));
    }

    [Fact]
    public void NaNSamplesAreInvalidInputInOneLine()
    {
        using var dir = new TempFolder();
        string input = TestImages.Stack(dir.File("nan.npy"), "YX", [6, 6], SampleType.Float32, i => i == 9 ? double.NaN : 0.5);
        var r = Run(["denoise", input, "-o", dir.File("o.npy"), .. Quick]);
        Assert.Equal(3, r.ExitCode);
        Assert.Single(r.Error.TrimEnd().Split('\n'));
        Assert.Contains("nan.npy", r.Error);
        Assert.Contains("NaN", r.Error);
        Assert.False(File.Exists(dir.File("o.npy")));
    }

    [Fact]
    public void ASmallMemoryBudgetTrainsOnPatchesAndStillWritesTheWholeImage()
    {
        using var dir = new TempFolder();
        string input = TestImages.Png(dir.File("in.png"), width: 64, height: 48);
        var r = Run(["denoise", input, "-o", dir.File("o.png"), "--memory-budget", "2M", "--patch-size", "16", .. Quick]);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal((64, 48), (ImageFile.Read(dir.File("o.png")).Width, ImageFile.Read(dir.File("o.png")).Height));
        Assert.Equal(2, Run(["denoise", input, "-o", dir.File("p.png"), "--memory-budget", "lots"]).ExitCode);
    }
}
