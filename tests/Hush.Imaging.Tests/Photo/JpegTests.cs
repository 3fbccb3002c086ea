using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using static Hush.Imaging.Tests.Photo.PhotoImages;

namespace Hush.Imaging.Tests.Photo;

public class JpegTests
{
    // Bounds: the PSNRs measured with ImageSharp 2.1.13 (49.69, 54.74 and 30.26 dB) less 0.5 dB, so a change of
    // encoder settings (subsampling, quantisation tables) or of the decoder shows up here.
    [Theory]
    [InlineData(3, 95, 49.2)]
    [InlineData(1, 95, 54.2)]
    [InlineData(3, 50, 29.7)]
    public void Round_trip_stays_within_the_measured_psnr(int channels, int quality, double minimumDb)
    {
        using var dir = new TempFolder();
        var image = Smooth(64, 48, channels);
        string path = dir.File("a.jpg");
        ImageFile.Write(image, path, quality: quality);

        var back = ImageFile.Read(path);

        Assert.Equal((64, 48, channels, 8, false), (back.Width, back.Height, back.Channels, back.BitDepth, back.HasAlpha));
        double psnr = Psnr(image, back);
        Assert.True(psnr >= minimumDb, $"PSNR {psnr:0.00} dB under {minimumDb} dB");
        Assert.True(psnr < 70, $"PSNR {psnr:0.00} dB: a JPEG round trip cannot be this close to lossless");
    }

    [Fact]
    public void Lower_quality_makes_a_smaller_and_worse_file()
    {
        using var dir = new TempFolder();
        var image = Smooth(64, 48, 3);
        ImageFile.Write(image, dir.File("q95.jpg"));
        ImageFile.Write(image, dir.File("q20.jpeg"), quality: 20);

        Assert.True(new FileInfo(dir.File("q20.jpeg")).Length < new FileInfo(dir.File("q95.jpg")).Length);
        Assert.True(Psnr(image, ImageFile.Read(dir.File("q20.jpeg"))) < Psnr(image, ImageFile.Read(dir.File("q95.jpg"))));
    }

    [Fact]
    public void Exif_orientation_6_is_applied_so_pixels_come_out_upright()
    {
        // Stored 16 wide x 8 tall, left half red, right half blue. Orientation 6 means "rotate 90° clockwise to
        // display": upright it is 8 wide x 16 tall, red on top, blue below.
        using var dir = new TempFolder();
        string path = dir.File("rotated.jpg");
        using (var stored = new SixLabors.ImageSharp.Image<Rgb24>(16, 8))
        {
            for (int y = 0; y < 8; y++)
                for (int x = 0; x < 16; x++)
                    stored[x, y] = x < 8 ? new Rgb24(255, 0, 0) : new Rgb24(0, 0, 255);
            stored.Metadata.ExifProfile = new ExifProfile();
            stored.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)6);
            SixLabors.ImageSharp.ImageExtensions.Save(stored, path, new SixLabors.ImageSharp.Formats.Jpeg.JpegEncoder { Quality = 100 });
        }

        var image = ImageFile.Read(path);
        var info = ImageFile.Identify(path);

        Assert.Equal((8, 16), (image.Width, image.Height));
        Assert.Equal((8, 16), (info.Width, info.Height));
        Assert.Equal((1f, 0f, 0f), Rgb(image, 4, 2), new RoundedTriple());
        Assert.Equal((0f, 0f, 1f), Rgb(image, 4, 13), new RoundedTriple());
    }

    [Fact]
    public void Progressive_jpeg_decodes()
    {
        // 16x12 gradient (R = 16x, G = 20y, B = 128) written by libjpeg-turbo's cjpeg -progressive -quality 95
        // -sample 1x1: an SOF2 frame, which ImageSharp cannot write.
        using var dir = new TempFolder();
        string path = dir.File("progressive.jpg");
        byte[] bytes = Convert.FromBase64String(JpegFixtures.ProgressiveGradient);
        Assert.True(bytes.AsSpan().IndexOf([(byte)0xFF, (byte)0xC2]) > 0, "the fixture must hold a progressive (SOF2) frame");
        File.WriteAllBytes(path, bytes);

        var image = ImageFile.Read(path);

        var expected = new Image(16, 12, 3);
        for (int y = 0; y < 12; y++)
            for (int x = 0; x < 16; x++)
            {
                expected.Plane(0)[y * 16 + x] = x * 16 / 255f;
                expected.Plane(1)[y * 16 + x] = y * 20 / 255f;
                expected.Plane(2)[y * 16 + x] = 128 / 255f;
            }
        Assert.Equal((16, 12, 3), (image.Width, image.Height, image.Channels));
        // 46.12 dB measured; libjpeg-turbo's own decoder differs from ImageSharp's by a level here and there.
        Assert.True(Psnr(expected, image) > 45.6, $"PSNR {Psnr(expected, image):0.00} dB");
    }

    [Fact]
    public void Identify_reads_the_header_without_decoding()
    {
        using var dir = new TempFolder();
        string path = dir.File("g.jpg");
        ImageFile.Write(Smooth(40, 30, 1), path);

        var info = ImageFile.Identify(path);

        Assert.Equal(("YX", "JPEG", SampleType.UInt8), (info.Axes, info.Metadata.Format, info.SampleType));
        Assert.Equal([30, 40], info.Shape);
        Assert.Equal("YX", ImageFile.ReadStack(path).Axes);
    }

    [Fact]
    public void A_header_over_the_limits_is_refused_before_decoding()
    {
        using var dir = new TempFolder();
        string path = dir.File("big.jpg");
        ImageFile.Write(Smooth(300, 200, 3), path);
        var limits = new DecoderLimits(MaxPixels: 100 * 100);

        var e = Assert.Throws<ImageFormatException>(() => ImageFile.Read(path, limits));

        Assert.Equal($"{path}: JPEG image 300x200 has 60000 pixels, over the limit of 10000", e.Message);
        var budget = Assert.Throws<ImageFormatException>(() => ImageFile.Read(path, DecoderLimits.ForMemory(300 * 200 * 4)));
        Assert.Contains("needs 720000 bytes decoded, over the limit of 240000", budget.Message);
    }

    private static (float, float, float) Rgb(Image image, int x, int y)
    {
        int p = y * image.Width + x;
        return (image.Plane(0)[p], image.Plane(1)[p], image.Plane(2)[p]);
    }

    /// <summary>Compares colours to within JPEG's error around a hard edge (a tenth of the range).</summary>
    private sealed class RoundedTriple : IEqualityComparer<(float, float, float)>
    {
        public bool Equals((float, float, float) a, (float, float, float) b) =>
            Math.Abs(a.Item1 - b.Item1) < 0.1 && Math.Abs(a.Item2 - b.Item2) < 0.1 && Math.Abs(a.Item3 - b.Item3) < 0.1;

        public int GetHashCode((float, float, float) value) => 0;
    }
}
