namespace Hush.Imaging.Tests;

public class PngRoundTripTests
{
    public static TheoryData<int, int, int, bool, int> Cases()
    {
        var data = new TheoryData<int, int, int, bool, int>();
        foreach (var (w, h) in new[] { (1, 1), (3, 5), (17, 2) })
            foreach (int channels in new[] { 1, 3 })
                foreach (bool alpha in new[] { false, true })
                    foreach (int depth in new[] { 8, 16 })
                        data.Add(w, h, channels, alpha, depth);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Encode_then_decode_is_exact(int width, int height, int channels, bool alpha, int bitDepth)
    {
        var image = TestData.RandomImage(width, height, channels, alpha, bitDepth, seed: width * 31 + height);
        using var stream = new MemoryStream();
        PngEncoder.Encode(image, stream, bitDepth);

        var decoded = PngDecoder.Decode(stream.ToArray());

        Assert.Equal(width, decoded.Width);
        Assert.Equal(height, decoded.Height);
        Assert.Equal(channels, decoded.Channels);
        Assert.Equal(bitDepth, decoded.BitDepth);
        Assert.Equal(image.Data, decoded.Data);
        Assert.Equal(image.Alpha, decoded.Alpha);
    }

    [Fact]
    public void Off_grid_values_are_rounded_and_clamped()
    {
        var image = new Image(5, 1, 1, [-0.5f, 0.1f, 0.5f, 1.7f, float.NaN]);
        using var stream = new MemoryStream();
        PngEncoder.Encode(image, stream, 8);

        var decoded = PngDecoder.Decode(stream.ToArray());

        int[] samples = decoded.Data.Select(v => TestData.Quantize(v, 255)).ToArray();
        Assert.Equal([0, 26, 128, 255, 0], samples);
    }

    [Fact]
    public void Filters_are_exercised_on_a_smooth_image()
    {
        // A gradient makes Sub/Up/Average/Paeth win over None, so the encoder's filters get round-tripped.
        var image = new Image(64, 48, 3);
        for (int c = 0; c < 3; c++)
        {
            var plane = image.Plane(c);
            for (int y = 0; y < 48; y++)
                for (int x = 0; x < 64; x++)
                    plane[y * 64 + x] = ((x * (c + 1) + y * 3) % 256) / 255f;
        }
        using var stream = new MemoryStream();
        PngEncoder.Encode(image, stream, 16);

        Assert.Equal(image.Data, PngDecoder.Decode(stream.ToArray()).Data);
        Assert.True(stream.Length < 64 * 48 * 6 / 4, $"gradient should compress well, got {stream.Length} bytes");
    }

    [Fact]
    public void Sub_byte_suite_file_reencodes_losslessly_at_8_bits()
    {
        var original = PngDecoder.Decode(File.ReadAllBytes(TestData.PngSuite("basn0g02.png")));
        using var stream = new MemoryStream();
        PngEncoder.Encode(original, stream);

        Assert.Equal(original.Data, PngDecoder.Decode(stream.ToArray()).Data);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void Channel_counts_png_cannot_hold_are_rejected(int channels)
    {
        var image = new Image(2, 2, channels);
        Assert.Throws<ArgumentException>(() => PngEncoder.Encode(image, new MemoryStream()));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(12)]
    public void Unsupported_output_depth_is_rejected(int bitDepth)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PngEncoder.Encode(new Image(2, 2, 1), new MemoryStream(), bitDepth));
    }
}
