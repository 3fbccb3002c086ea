using static Hush.Imaging.Tests.Photo.PhotoImages;

namespace Hush.Imaging.Tests;

/// <summary>
/// Files that inflate about 1000:1 to more than <see cref="DecoderLimits.InflationFreeBytes"/> are refused from
/// their headers and compressed sizes, before anything of the decoded size is allocated; describing them
/// (<see cref="ImageFile.Identify"/>) costs a read of the file and nothing more.
/// </summary>
public class DecompressionBombTests
{
    private const int Side = 8192; // 64 MiB + 8 KiB of PNG scanlines: just past the ratio-free size

    private static readonly byte[] PngBomb = Bombs.Png(Side);
    private static readonly byte[] TiffBomb = Bombs.Tiff(Side, Side + 1);

    public static TheoryData<string> Kinds() => new() { "bomb.png", "bomb.tif" };

    private static byte[] Bytes(string name) => name.EndsWith(".png") ? PngBomb : TiffBomb;

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_bomb_is_refused_before_it_is_inflated(string name)
    {
        using var dir = new TempFolder();
        string path = dir.File(name);
        File.WriteAllBytes(path, Bytes(name));

        var (error, allocated) = FixtureAssert.RunWithin(() => ImageFile.Read(path), TimeSpan.FromSeconds(10));

        var e = Assert.IsType<ImageFormatException>(error);
        Assert.StartsWith($"{path}: ", e.Message);
        Assert.Matches(@"would inflate \d+ bytes to \d+ \(10\d\d:1, over the limit of 256:1\): refusing a likely decompression bomb$", e.Message);
        // The file itself and a copy of its compressed data; the 64 MiB it would inflate to never appear.
        Assert.True(allocated < 3L * Bytes(name).Length + (4 << 20), $"allocated {allocated} bytes before refusing");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Identify_describes_a_bomb_without_inflating_it(string name)
    {
        using var dir = new TempFolder();
        string path = dir.File(name);
        File.WriteAllBytes(path, Bytes(name));

        ImageStackInfo? info = null;
        var (error, allocated) = FixtureAssert.RunWithin(() => info = ImageFile.Identify(path), TimeSpan.FromSeconds(10));

        Assert.Null(error);
        Assert.Equal(("YX", SampleType.UInt8, Side), (info!.Axes, info.SampleType, info.Width));
        Assert.True(allocated < 3L * Bytes(name).Length + (4 << 20), $"allocated {allocated} bytes to identify");
    }

    [Fact]
    public void A_small_constant_image_decodes_however_well_it_compresses()
    {
        var image = PngDecoder.Decode(Bombs.Png(1024));
        Assert.Equal((1024, 1024), (image.Width, image.Height));
        Assert.All(image.Data, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void The_ratio_limit_can_be_raised_for_data_known_to_be_sparse()
    {
        var limits = DecoderLimits.Default with { MaxInflationRatio = 2000 };
        var stack = TiffDecoder.Decode(Bombs.Tiff(4096, 4200), limits with { InflationFreeBytes = 1 << 20 });
        Assert.Equal([4200, 4096], stack.Shape);
        Assert.Throws<ImageFormatException>(() => TiffDecoder.Decode(Bombs.Tiff(4096, 4200), DecoderLimits.Default with { InflationFreeBytes = 1 << 20 }));
    }

    [Fact]
    public void Limits_for_a_memory_budget_refuse_an_image_whose_floats_would_not_fit()
    {
        var limits = DecoderLimits.ForMemory(4 << 20);
        var e = Assert.Throws<ImageFormatException>(() => PngDecoder.Decode(Bombs.Png(1100), limits));
        Assert.Equal($"PNG image 1100x1100x1 needs {1100 * 1100 * 4} bytes decoded, over the limit of {4 << 20}", e.Message);
        Assert.Equal(4 << 20, limits.MaxDecodedBytes);
    }
}
