using System.Text.Json;
using Hush.Imaging;
using static Hush.Cli.Tests.CliHarness;

namespace Hush.Cli.Tests;

public class InfoConvertTests
{
    private static JsonElement Json(Outcome r) => JsonDocument.Parse(r.Out).RootElement.Clone();

    [Fact]
    public void InfoDescribesAStack()
    {
        using var dir = new TempFolder();
        string path = TestImages.Stack(dir.File("s.tif"), "ZCYX", [3, 2, 5, 7], SampleType.UInt16, i => 10 + i);
        var r = Run("info", path, "--json");
        Assert.Equal(0, r.ExitCode);
        var j = Json(r);
        Assert.Equal("TIFF", j.GetProperty("format").GetString());
        Assert.Equal((7, 5, 3L, 2), (j.GetProperty("width").GetInt32(), j.GetProperty("height").GetInt32(),
            j.GetProperty("planes").GetInt64(), j.GetProperty("channels").GetInt32()));
        Assert.Equal(("ZCYX", "uint16", 16), (j.GetProperty("axes").GetString(), j.GetProperty("dtype").GetString(), j.GetProperty("bitDepth").GetInt32()));
        Assert.Equal((10.0, 10.0 + 3 * 2 * 5 * 7 - 1), (j.GetProperty("min").GetDouble(), j.GetProperty("max").GetDouble()));

        var text = Run("info", path).Out;
        Assert.Matches(@"planes\s+3", text);
        Assert.Matches(@"range\s+10 \.\. 219", text);
    }

    [Fact]
    public void InfoOfAPngAndOfACorruptFile()
    {
        using var dir = new TempFolder();
        string png = TestImages.Png(dir.File("g.png"));
        var j = Json(Run("info", png, "--json"));
        Assert.Equal(("PNG", 1L, "uint8", 1), (j.GetProperty("format").GetString(), j.GetProperty("planes").GetInt64(),
            j.GetProperty("dtype").GetString(), j.GetProperty("channels").GetInt32()));
        File.WriteAllBytes(dir.File("bad.tif"), [(byte)'I', (byte)'I', 42, 0, 99, 0, 0, 0]);
        var bad = Run("info", dir.File("bad.tif"));
        Assert.Equal(3, bad.ExitCode);
        Assert.Contains("bad.tif", bad.Error);
        Assert.Single(bad.Error.TrimEnd().Split('\n'));
    }

    [Theory]
    [InlineData("a.tif", "b.npy")]
    [InlineData("a.npy", "b.tif")]
    public void StacksConvertExactlyBetweenTiffAndNpy(string from, string to)
    {
        using var dir = new TempFolder();
        string input = TestImages.Stack(dir.File(from), "ZYX", [3, 6, 5], SampleType.Float32, i => i * 1.5 - 20);
        var r = Run("convert", input, "-o", dir.File(to), "-q");
        Assert.Equal(0, r.ExitCode);
        var (a, b) = (ImageFile.ReadStack(input), ImageFile.ReadStack(dir.File(to)));
        Assert.Equal((a.Axes, a.SampleType), (b.Axes, b.SampleType));
        Assert.Equal(a.Data, b.Data);
    }

    [Fact]
    public void PngToTiffToPngIsExact()
    {
        using var dir = new TempFolder();
        string png = TestImages.Png(dir.File("g.png"));
        Assert.Equal(0, Run("convert", png, "-o", dir.File("g.tif"), "-q").ExitCode);
        Assert.Equal(0, Run("convert", dir.File("g.tif"), "-o", dir.File("back.png"), "-q").ExitCode);
        Assert.Equal(ImageFile.Read(png).Data, ImageFile.Read(dir.File("back.png")).Data);
        Assert.Equal(0, Run("convert", png, "-o", dir.File("g.pgm"), "-q").ExitCode);
        Assert.Equal(ImageFile.Read(png).Data, ImageFile.Read(dir.File("g.pgm")).Data);
    }

    [Theory]
    [InlineData("ZYX", new[] { 2, 4, 4 }, SampleType.UInt8, "x.png", "2 planes", false)]
    [InlineData("YX", new[] { 4, 4 }, SampleType.Float32, "x.png", "float32", true)]
    [InlineData("CYX", new[] { 5, 4, 4 }, SampleType.UInt8, "x.ppm", "5 planes", false)]
    [InlineData("YXS", new[] { 4, 4, 4 }, SampleType.UInt8, "x.ppm", "alpha", true)]
    [InlineData("YX", new[] { 4, 4 }, SampleType.Int16, "x.pgm", "int16", true)]
    public void WhatTheTargetCannotHoldIsRefusedWithExitTwoUnlessLossyIsAllowed(string axes, int[] shape, SampleType type,
        string target, string reason, bool lossyPossible)
    {
        using var dir = new TempFolder();
        string input = TestImages.Stack(dir.File("in.tif"), axes, shape, type, i => i * 3);
        var r = Run("convert", input, "-o", dir.File(target));
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.Error.TrimEnd().Split('\n'));
        Assert.Contains(target, r.Error);
        Assert.Contains(reason, r.Error);
        Assert.False(File.Exists(dir.File(target)));

        var lossy = Run("convert", input, "-o", dir.File(target), "--allow-lossy", "--json");
        Assert.Equal(lossyPossible ? 0 : 2, lossy.ExitCode);
        Assert.Equal(lossyPossible, File.Exists(dir.File(target)));
        if (lossyPossible) Assert.Contains(reason, Json(lossy).GetProperty("lossy").GetString());
    }

    [Fact]
    public void ConvertNeverOverwritesWithoutOverwrite()
    {
        using var dir = new TempFolder();
        string png = TestImages.Png(dir.File("g.png"));
        File.WriteAllText(dir.File("g.tif"), "precious");
        Assert.Equal(2, Run("convert", png, "-o", dir.File("g.tif")).ExitCode);
        Assert.Equal("precious", File.ReadAllText(dir.File("g.tif")));
        Assert.Equal(0, Run("convert", png, "-o", dir.File("g.tif"), "--overwrite", "-q").ExitCode);
        Assert.Equal(12, ImageFile.ReadStack(dir.File("g.tif")).Height);
    }
}
