using System.Buffers.Binary;
using System.IO.Compression;
using Hush.Imaging.Formats.Png;

namespace Hush.Imaging.Tests;

public class LimitsTests
{
    /// <summary>A structurally valid grey PNG whose IHDR claims any size, with a tiny IDAT.</summary>
    private static byte[] PngClaiming(uint width, uint height)
    {
        using var file = new MemoryStream();
        file.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8;
        Bombs.Chunk(file, "IHDR", ihdr);
        using var idat = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionLevel.Fastest, leaveOpen: true))
            z.Write(new byte[100]);
        Bombs.Chunk(file, "IDAT", idat.ToArray());
        Bombs.Chunk(file, "IEND", []);
        return file.ToArray();
    }

    [Fact]
    public void Huge_header_is_rejected_before_allocating()
    {
        byte[] png = PngClaiming(100_000, 100_000);
        long before = GC.GetAllocatedBytesForCurrentThread();

        var e = Assert.Throws<ImageFormatException>(() => PngDecoder.Decode(png));

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("width 100000 exceeds the limit", e.Message);
        Assert.True(allocated < 1 << 20, $"allocated {allocated} bytes");
    }

    [Fact]
    public void Large_claim_within_limits_but_without_data_fails_cheaply()
    {
        // 30000x30000 grey is under the default pixel limit, but the file holds 100 bytes of pixels:
        // the decoder must notice the truncation without first allocating ~900 MB. The inflation-ratio guard,
        // which would refuse this file earlier, is switched off to reach the truncation check.
        byte[] png = PngClaiming(30_000, 30_000);
        var noRatio = DecoderLimits.Default with { MaxInflationRatio = double.PositiveInfinity };
        long before = GC.GetAllocatedBytesForCurrentThread();

        var e = Assert.Throws<ImageFormatException>(() => PngDecoder.Decode(png, noRatio));

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("truncated", e.Message);
        Assert.True(allocated < 8 << 20, $"allocated {allocated} bytes");
    }

    [Theory]
    [InlineData(0u, 10u)]
    [InlineData(10u, 0u)]
    [InlineData(0x80000000u, 1u)]
    public void Zero_or_negative_dimensions_are_rejected(uint width, uint height)
    {
        var e = Assert.Throws<ImageFormatException>(() => PngDecoder.Decode(PngClaiming(width, height)));
        Assert.Contains("invalid dimensions", e.Message);
    }

    [Fact]
    public void Custom_limits_apply_to_width_height_and_pixel_count()
    {
        byte[] png = File.ReadAllBytes(TestData.PngSuite("basn0g08.png")); // 32x32
        Assert.Throws<ImageFormatException>(() => PngDecoder.Decode(png, new DecoderLimits(MaxWidth: 31)));
        Assert.Throws<ImageFormatException>(() => PngDecoder.Decode(png, new DecoderLimits(MaxHeight: 31)));
        var e = Assert.Throws<ImageFormatException>(() => PngDecoder.Decode(png, new DecoderLimits(MaxPixels: 1023)));
        Assert.Contains("1024 pixels", e.Message);
        Assert.Equal(32, PngDecoder.Decode(png, new DecoderLimits(32, 32, 1024)).Width);
    }
}
