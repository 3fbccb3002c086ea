using System.Text;
using static Hush.Imaging.Tests.Photo.PhotoImages;

namespace Hush.Imaging.Tests;

/// <summary>PNM as other writers make it: odd maxvals (10/12-bit camera data, 1), comments and whitespace where
/// the format allows them, plain P2/P3 and 16-bit big-endian samples. A maxval is kept when the file is written back.</summary>
public class PnmOddWriterTests
{
    private static Image Decode(string text) => PnmDecoder.Decode(new MemoryStream(Encoding.Latin1.GetBytes(text)));

    private static byte[] Binary(string header, params byte[] raster) => [.. Encoding.ASCII.GetBytes(header), .. raster];

    [Theory]
    [InlineData(1023)]
    [InlineData(4095)]
    [InlineData(1)]
    [InlineData(100)]
    public void Maxval_survives_a_read_and_write(int maxValue)
    {
        using var dir = new TempFolder();
        string text = $"P2\n3 1\n{maxValue}\n0 {maxValue / 2} {maxValue}\n";
        File.WriteAllText(dir.File("in.pgm"), text);

        var image = ImageFile.Read(dir.File("in.pgm"));
        ImageFile.Write(image, dir.File("out.pgm"));

        byte[] written = File.ReadAllBytes(dir.File("out.pgm"));
        string header = $"P5\n3 1\n{maxValue}\n";
        Assert.Equal(header, Encoding.ASCII.GetString(written, 0, header.Length));
        var back = ImageFile.Read(dir.File("out.pgm"));
        Assert.Equal(maxValue, back.MaxValue);
        Assert.Equal(image.Data, back.Data);
    }

    [Fact]
    public void Maxval_survives_the_stack_path_that_convert_and_denoise_use()
    {
        using var dir = new TempFolder();
        var raster = new byte[2 * 3 * 2 * 2]; // 2x2 RGB, 16-bit big-endian
        for (int i = 0; i < raster.Length / 2; i++)
        {
            int value = i * 97 % 1024;
            raster[2 * i] = (byte)(value >> 8);
            raster[2 * i + 1] = (byte)value;
        }
        File.WriteAllBytes(dir.File("in.ppm"), Binary("P6 2 2 1023\n", raster));

        var stack = ImageFile.ReadStack(dir.File("in.ppm"));
        ImageFile.WriteStack(stack, dir.File("out.ppm"));

        Assert.Equal((1023, SampleType.UInt16), (stack.Metadata.MaxValue, stack.SampleType));
        Assert.Equal(1023, ImageFile.Identify(dir.File("in.ppm")).Metadata.MaxValue);
        Assert.Equal(File.ReadAllBytes(dir.File("in.ppm"))[12..], File.ReadAllBytes(dir.File("out.ppm"))[12..]);
        Assert.Equal("P6\n2 2\n1023\n", Encoding.ASCII.GetString(File.ReadAllBytes(dir.File("out.ppm")), 0, 12));
    }

    [Fact]
    public void An_explicit_bit_depth_of_another_width_uses_the_full_range()
    {
        var image = Decode("P2 2 1 1023 0 1023");
        using var stream = new MemoryStream();
        PnmEncoder.Encode(image, stream, 8);
        Assert.StartsWith("P5\n2 1\n255\n", Encoding.ASCII.GetString(stream.ToArray()));
    }

    [Theory]
    [InlineData("P2#magic comment\n2 1\n255\n0 255\n")]
    [InlineData("P2\r\n2\t1\r\n255\r\n0\t255\r\n")]
    [InlineData("P2\n# one\n# two\n2 # between width and height\n1\n# before maxval\n255\n0 255")]
    [InlineData("P2\n2 1\n255\n0\n\n\n   255   \n")]
    [InlineData("P2 2 1 255 0 # a comment inside the raster\n 255")]
    [InlineData("P2\f2\v1 255\n0 255\n")]
    public void Comments_and_whitespace_of_other_writers_are_accepted(string text)
    {
        var image = Decode(text);
        Assert.Equal((2, 1, 1, 255), (image.Width, image.Height, image.Channels, image.MaxValue));
        Assert.Equal([0f, 1f], image.Data);
    }

    [Fact]
    public void Binary_header_with_comments_and_crlf_keeps_the_raster_exact()
    {
        var image = PnmDecoder.Decode(new MemoryStream(Binary("P5\r\n# written by a camera tool\r\n2 2\r\n255\n", 0, 1, 254, 255)));
        Assert.Equal([0f, 1 / 255f, 254 / 255f, 1f], image.Data);
    }

    [Fact]
    public void Sixteen_bit_samples_are_big_endian()
    {
        var image = PnmDecoder.Decode(new MemoryStream(Binary("P5 2 1 65535\n", 0x01, 0x02, 0xFF, 0xFE)));
        Assert.Equal((16, 65535), (image.BitDepth, image.MaxValue));
        Assert.Equal([0x0102 / 65535f, 0xFFFE / 65535f], image.Data);
    }

    [Fact]
    public void Maxval_1_is_a_two_level_image()
    {
        var image = PnmDecoder.Decode(new MemoryStream(Binary("P5 3 1 1\n", 0, 1, 0)));
        Assert.Equal((8, 1), (image.BitDepth, image.MaxValue));
        Assert.Equal([0f, 1f, 0f], image.Data);
        var plain = Decode("P3 1 1 1\n1 0 1");
        Assert.Equal([1f, 0f, 1f], plain.Data);
    }
}
