using System.Text;
using System.Text.Json;
using Hush.Imaging;
using static Hush.Cli.Tests.CliHarness;

namespace Hush.Cli.Tests;

/// <summary>JPEG and the other photo formats through denoise, convert and info; --quality; PNM maxval kept.</summary>
public class PhotoCliTests
{
    private static JsonElement Json(Outcome r) => JsonDocument.Parse(r.Out).RootElement.Clone();

    private static string Jpeg(string path, int channels = 3)
    {
        var data = new float[channels * 16 * 12];
        for (int i = 0; i < data.Length; i++) data[i] = (i * 7919 % 256) / 255f;
        ImageFile.Write(new Image(16, 12, channels, data), path);
        return path;
    }

    [Fact]
    public void DenoiseReadsAndWritesJpeg()
    {
        using var dir = new TempFolder();
        string input = Jpeg(dir.File("x.jpg"));
        var r = Run("denoise", input, "-o", dir.File("y.jpg"), "-m", "zs-n2n", "-n", "2", "--seed", "1", "--threads", "1", "--quality", "90", "-q");
        Assert.Equal(0, r.ExitCode);
        var output = ImageFile.Read(dir.File("y.jpg"));
        Assert.Equal((16, 12, 3), (output.Width, output.Height, output.Channels));
        Assert.Equal([0xFF, 0xD8, 0xFF], File.ReadAllBytes(dir.File("y.jpg"))[..3]);
    }

    [Fact]
    public void ConvertJpegToPngIsExactAndBackAsksForNoFlag()
    {
        using var dir = new TempFolder();
        string jpg = Jpeg(dir.File("a.jpg"), channels: 1);
        var toPng = Run("convert", jpg, "-o", dir.File("b.png"), "--json");
        Assert.Equal(0, toPng.ExitCode);
        Assert.Equal(JsonValueKind.Null, Json(toPng).GetProperty("lossy").ValueKind);
        Assert.Equal(ImageFile.Read(jpg).Data, ImageFile.Read(dir.File("b.png")).Data);

        var toJpg = Run("convert", dir.File("b.png"), "-o", dir.File("c.jpg"), "--quality", "70", "--json");
        Assert.Equal(0, toJpg.ExitCode);
        Assert.Equal("JPEG compression at quality 70", Json(toJpg).GetProperty("lossy").GetString());
    }

    [Fact]
    public void SixteenBitToJpegNeedsAllowLossy()
    {
        using var dir = new TempFolder();
        string input = TestImages.Stack(dir.File("a.tif"), "YX", [6, 5], SampleType.UInt16);
        var refused = Run("convert", input, "-o", dir.File("a.jpg"));
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("8-bit only", refused.Error);
        Assert.False(File.Exists(dir.File("a.jpg")));
        var lossy = Run("convert", input, "-o", dir.File("a.jpg"), "--allow-lossy", "--json");
        Assert.Equal(0, lossy.ExitCode);
        Assert.EndsWith("; JPEG compression at quality 95", Json(lossy).GetProperty("lossy").GetString());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("101")]
    public void QualityOutOfRangeIsBadUsage(string quality)
    {
        using var dir = new TempFolder();
        var r = Run("convert", Jpeg(dir.File("a.jpg")), "-o", dir.File("b.jpg"), "--quality", quality);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--quality must be 1..100", r.Error);
    }

    [Fact]
    public void InfoDescribesAJpegAndAPngWithoutPages()
    {
        using var dir = new TempFolder();
        var j = Json(Run("info", Jpeg(dir.File("a.jpg")), "--json"));
        Assert.Equal(("JPEG", "YXS", 3, 16, 12), (j.GetProperty("format").GetString(), j.GetProperty("axes").GetString(),
            j.GetProperty("channels").GetInt32(), j.GetProperty("width").GetInt32(), j.GetProperty("height").GetInt32()));
        string text = Run("info", TestImages.Png(dir.File("g.png"))).Out;
        Assert.Matches(@"axes\s+YX\n", text);
        Assert.DoesNotContain("pages", text);
    }

    [Fact]
    public void PgmMaxvalIsKeptByConvertAndDenoiseAndShownByInfo()
    {
        using var dir = new TempFolder();
        var raster = new byte[2 * 10 * 8];
        for (int i = 0; i < raster.Length / 2; i++) { raster[2 * i] = (byte)(i % 4); raster[2 * i + 1] = (byte)(i * 37); }
        File.WriteAllBytes(dir.File("in.pgm"), [.. Encoding.ASCII.GetBytes("P5\n10 8\n1023\n"), .. raster]);

        Assert.Equal(0, Run("convert", dir.File("in.pgm"), "-o", dir.File("c.pgm"), "-q").ExitCode);
        Assert.Equal(File.ReadAllBytes(dir.File("in.pgm")), File.ReadAllBytes(dir.File("c.pgm")));
        Assert.Equal(0, Run("denoise", dir.File("in.pgm"), "-o", dir.File("d.pgm"), "-m", "zs-n2n", "-n", "2", "--threads", "1", "-q").ExitCode);
        Assert.StartsWith("P5\n10 8\n1023\n", Encoding.ASCII.GetString(File.ReadAllBytes(dir.File("d.pgm"))[..13]));
        Assert.Matches(@"bit depth\s+16 \(maxval 1023\)", Run("info", dir.File("in.pgm")).Out);
    }

    [Fact]
    public void NoiseWritesJpegAtEightBitsAndRefusesSixteen()
    {
        using var dir = new TempFolder();
        string clean = TestImages.Png(dir.File("c.png"));
        Assert.Equal(0, Run("noise", clean, "-o", dir.File("n.jpg"), "--gaussian", "5", "--seed", "1", "-q").ExitCode);
        Assert.Equal((14, 12, 1), (ImageFile.Read(dir.File("n.jpg")).Width, ImageFile.Read(dir.File("n.jpg")).Height, ImageFile.Read(dir.File("n.jpg")).Channels));
        var r = Run("noise", clean, "-o", dir.File("m.jpg"), "--gaussian", "5", "--bit-depth", "16");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("8 bits a sample only", r.Error);
    }

    [Fact]
    public void MetricsSizeMismatchNamesEachFileOnce()
    {
        using var dir = new TempFolder();
        string a = TestImages.Png(dir.File("a.png")), b = TestImages.Png(dir.File("b.png"), width: 10);
        var r = Run("metrics", a, "-r", b);
        Assert.Equal(3, r.ExitCode);
        Assert.Equal($"hush: {a}: is 14x12x1 but the reference {b} is 10x12x1", r.Error.Trim());
    }
}
