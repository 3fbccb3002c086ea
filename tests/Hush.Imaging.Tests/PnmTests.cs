using System.Text;

namespace Hush.Imaging.Tests;

public class PnmTests
{
    private static Image Decode(string text) => PnmDecoder.Decode(new MemoryStream(Encoding.Latin1.GetBytes(text)));

    private static Image Decode(byte[] bytes) => PnmDecoder.Decode(new MemoryStream(bytes));

    [Fact]
    public void P2_with_comments_decodes()
    {
        var image = Decode("P2\n# a comment\n3 2 # trailing comment\n4\n0 1 2\n3 4\n# inside raster\n0\n");

        Assert.Equal((3, 2, 1, 8), (image.Width, image.Height, image.Channels, image.BitDepth));
        Assert.Equal([0f, 0.25f, 0.5f, 0.75f, 1f, 0f], image.Data);
        Assert.False(image.HasAlpha);
    }

    [Fact]
    public void P3_is_deinterleaved_into_planes()
    {
        var image = Decode("P3 2 1 255  255 0 51   0 102 255");

        Assert.Equal(3, image.Channels);
        Assert.Equal([1f, 0f], image.Plane(0).ToArray());
        Assert.Equal([0f, 0.4f], image.Plane(1).ToArray());
        Assert.Equal([0.2f, 1f], image.Plane(2).ToArray());
    }

    [Fact]
    public void P2_with_odd_maxval_is_16_bit()
    {
        var image = Decode("P2 2 1 1023 0 1023");
        Assert.Equal(16, image.BitDepth);
        Assert.Equal([0f, 1f], image.Data);
    }

    [Fact]
    public void P5_8_bit_decodes()
    {
        byte[] bytes = [.. Encoding.ASCII.GetBytes("P5\n#c\n2 2\n255\n"), 0, 255, 128, 1];
        var image = Decode(bytes);
        Assert.Equal(8, image.BitDepth);
        Assert.Equal([0f, 1f, 128 / 255f, 1 / 255f], image.Data);
    }

    [Fact]
    public void P6_16_bit_is_big_endian()
    {
        byte[] bytes = [.. Encoding.ASCII.GetBytes("P6 1 1 65535\n"), 0xFF, 0xFF, 0x01, 0x00, 0x00, 0x01];
        var image = Decode(bytes);
        Assert.Equal(16, image.BitDepth);
        Assert.Equal([1f, 256 / 65535f, 1 / 65535f], image.Data);
    }

    [Fact]
    public void P5_with_maxval_1023_uses_two_bytes_per_sample()
    {
        byte[] bytes = [.. Encoding.ASCII.GetBytes("P5 2 1 1023\n"), 0x03, 0xFF, 0x02, 0x00];
        var image = Decode(bytes);
        Assert.Equal([1f, 512 / 1023f], image.Data);
    }

    [Theory]
    [InlineData(1, 8)]
    [InlineData(3, 8)]
    [InlineData(1, 16)]
    [InlineData(3, 16)]
    public void Encode_then_decode_is_exact(int channels, int bitDepth)
    {
        var image = TestData.RandomImage(17, 2, channels, alpha: true, bitDepth, seed: channels + bitDepth);
        using var stream = new MemoryStream();
        PnmEncoder.Encode(image, stream, bitDepth);

        string magic = Encoding.ASCII.GetString(stream.ToArray(), 0, 2);
        var decoded = Decode(stream.ToArray());

        Assert.Equal(channels == 1 ? "P5" : "P6", magic);
        Assert.Equal(bitDepth, decoded.BitDepth);
        Assert.Equal(image.Data, decoded.Data);
        Assert.False(decoded.HasAlpha); // PNM has no alpha
    }

    [Theory]
    [InlineData("", "magic")]
    [InlineData("GIF89a", "magic")]
    [InlineData("P1 1 1 1", "P1")]
    [InlineData("P4 1 1", "P4")]
    [InlineData("P7\nWIDTH 1", "P7")]
    [InlineData("P2 2", "truncated")]
    [InlineData("P2 2 2 255 1 2 3", "truncated")]
    [InlineData("P2 x 2 255", "width is not a number")]
    [InlineData("P2 0 2 255 0", "width must be positive")]
    [InlineData("P2 1 1 0 0", "maxval")]
    [InlineData("P2 1 1 70000 0", "maxval 70000")]
    [InlineData("P2 1 1 99999999999 0", "too large")]
    [InlineData("P2 2 1 10 3 11", "exceeds maxval")]
    [InlineData("P5 2 2 255\n\u0001\u0002\u0003", "truncated")]
    [InlineData("P6 1 1 65535\n\u0001\u0002", "truncated")]
    [InlineData("P5 1 1 255", "truncated")]
    public void Bad_input_is_rejected(string text, string reason)
    {
        var e = Assert.Throws<ImageFormatException>(() => Decode(text));
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void Header_over_the_limits_is_rejected()
    {
        var e = Assert.Throws<ImageFormatException>(() => Decode("P5 100000 100000 255\n"));
        Assert.Contains("limit", e.Message);
        var small = new DecoderLimits(MaxWidth: 4, MaxHeight: 4, MaxPixels: 8);
        Assert.Throws<ImageFormatException>(() => PnmDecoder.Decode(new MemoryStream(Encoding.ASCII.GetBytes("P2 3 3 1 0 0 0 0 0 0 0 0 0")), small));
    }

    [Fact]
    public void Random_garbage_after_magic_only_throws_format_errors()
    {
        var random = new Random(7);
        for (int i = 0; i < 500; i++)
        {
            var bytes = new byte[random.Next(2, 40)];
            random.NextBytes(bytes);
            bytes[0] = (byte)'P';
            bytes[1] = (byte)"2356"[i % 4];
            try
            {
                Decode(bytes);
            }
            catch (ImageFormatException)
            {
            }
        }
    }
}
