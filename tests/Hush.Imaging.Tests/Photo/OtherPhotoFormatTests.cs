using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;
using static Hush.Imaging.Tests.Photo.PhotoImages;

namespace Hush.Imaging.Tests.Photo;

/// <summary>BMP, WebP and GIF: files made by ImageSharp itself are read exactly; ours are written losslessly.</summary>
public class OtherPhotoFormatTests
{
    private static Image<Rgba32> Pattern(int width, int height, bool transparentCorner = false)
    {
        var image = new Image<Rgba32>(width, height);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                image[x, y] = new Rgba32((byte)(x * 20), (byte)(y * 30), (byte)((x + y) * 10), transparentCorner && x == 0 && y == 0 ? (byte)0 : (byte)255);
        return image;
    }

    private static void AssertPattern(Hush.Imaging.Image image, int width, int height)
    {
        Assert.Equal((width, height, 3, 8), (image.Width, image.Height, image.Channels, image.BitDepth));
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int p = y * width + x;
                Assert.Equal(((byte)(x * 20), (byte)(y * 30), (byte)((x + y) * 10)),
                    ((byte)Math.Round(image.Plane(0)[p] * 255), (byte)Math.Round(image.Plane(1)[p] * 255), (byte)Math.Round(image.Plane(2)[p] * 255)));
            }
    }

    [Fact]
    public void Bmp_from_another_writer_reads_exactly()
    {
        using var dir = new TempFolder();
        using (var source = Pattern(7, 5))
            source.Save(dir.File("a.bmp"), new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel24 });

        var image = ImageFile.Read(dir.File("a.bmp"));

        AssertPattern(image, 7, 5);
        Assert.False(image.HasAlpha);
        Assert.Equal("BMP", ImageFile.Identify(dir.File("a.bmp")).Metadata.Format);
    }

    [Fact]
    public void Lossless_webp_reads_exactly_with_its_alpha()
    {
        using var dir = new TempFolder();
        using (var source = Pattern(6, 4, transparentCorner: true))
            source.Save(dir.File("a.webp"), new WebpEncoder { FileFormat = WebpFileFormatType.Lossless });

        var image = ImageFile.Read(dir.File("a.webp"));

        AssertPattern(image, 6, 4);
        Assert.NotNull(image.Alpha);
        Assert.Equal(0f, image.Alpha![0]);
        Assert.All(image.Alpha[1..], a => Assert.Equal(1f, a));
    }

    [Fact]
    public void Gif_gives_its_first_frame_only()
    {
        using var dir = new TempFolder();
        using (var gif = new Image<Rgba32>(4, 3, new Rgba32(255, 255, 255)))
        {
            using var second = new Image<Rgba32>(4, 3, new Rgba32(0, 0, 0));
            gif.Frames.AddFrame(second.Frames.RootFrame);
            gif.Save(dir.File("a.gif"), new GifEncoder());
        }

        var image = ImageFile.Read(dir.File("a.gif"));

        Assert.Equal((4, 3, 3), (image.Width, image.Height, image.Channels));
        Assert.All(image.Data, v => Assert.Equal(1f, v));
        Assert.Equal("GIF", ImageFile.ReadStack(dir.File("a.gif")).Metadata.Format);
    }

    [Theory]
    [InlineData("a.bmp", 1)]
    [InlineData("a.bmp", 3)]
    [InlineData("a.webp", 3)]
    public void Our_bmp_and_webp_are_lossless(string name, int channels)
    {
        using var dir = new TempFolder();
        var image = EightBit(9, 7, channels);
        ImageFile.Write(image, dir.File(name));

        var back = ImageFile.Read(dir.File(name));

        // BMP and WebP carry no "grey" marker ImageSharp reports, so grey comes back as equal R, G, B.
        Assert.Equal(3, back.Channels);
        for (int c = 0; c < 3; c++)
            Assert.Equal(image.Plane(channels == 1 ? 0 : c).ToArray(), back.Plane(c).ToArray());
    }

    [Fact]
    public void Eight_bit_formats_refuse_sixteen_bits()
    {
        using var dir = new TempFolder();
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageFile.Write(EightBit(2, 2, 1), dir.File("a.jpg"), bitDepth: 16));
        Assert.Empty(Directory.GetFiles(dir.Path));
    }
}
