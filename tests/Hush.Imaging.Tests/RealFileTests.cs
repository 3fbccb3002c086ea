namespace Hush.Imaging.Tests;

/// <summary>Decoding of the real data sets the denoisers run on.</summary>
public class RealFileTests
{
    [Theory]
    [InlineData("kodim01.png", 768, 512)]
    [InlineData("kodim04.png", 512, 768)]
    [InlineData("kodim23.png", 768, 512)]
    public void Kodak_is_8_bit_rgb(string name, int width, int height)
    {
        var image = ImageFile.Read(TestData.Data("Kodak24", name));
        Assert.Equal((width, height, 3, 8, false), (image.Width, image.Height, image.Channels, image.BitDepth, image.HasAlpha));
        AssertNotFlat(image);
    }

    [Theory]
    [InlineData("01.png", 256)]
    [InlineData("09.png", 512)]
    public void Set12_is_8_bit_grey(string name, int size)
    {
        var image = ImageFile.Read(TestData.Data("Set12", name));
        Assert.Equal((size, size, 1, 8), (image.Width, image.Height, image.Channels, image.BitDepth));
        AssertNotFlat(image);
    }

    [Fact]
    public void Reference_output_is_16_bit_rgb_and_round_trips()
    {
        string path = Directory.GetFiles(TestData.Reference("zsn2n-kodak256"), "*_g25.png").Order(StringComparer.Ordinal).First();
        var image = ImageFile.Read(path);
        Assert.Equal((256, 256, 3, 16), (image.Width, image.Height, image.Channels, image.BitDepth));
        AssertNotFlat(image);

        using var stream = new MemoryStream();
        PngEncoder.Encode(image, stream, 16);
        Assert.Equal(image.Data, PngDecoder.Decode(stream.ToArray()).Data);
    }

    private static void AssertNotFlat(Image image)
    {
        Assert.All(image.Data, v => Assert.InRange(v, 0f, 1f));
        Assert.True(image.Data.Max() - image.Data.Min() > 0.5f, "a photo should span a wide range of values");
    }
}
