using FsCheck;
using FsCheck.Fluent;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace Hush.Imaging.Tests.Photo;

/// <summary>
/// Damaged JPEG, BMP, GIF and WebP files (truncated, one or two bytes changed) must decode or fail with
/// <see cref="ImageFormatException"/> naming the file: never an exception of ImageSharp's own, never a hang.
/// </summary>
public class PhotoFuzzTests
{
    private static readonly int CasesPerSeed =
        int.TryParse(Environment.GetEnvironmentVariable("HUSH_FUZZ_CASES"), out int cases) && cases > 0 ? cases : 150;

    private static readonly DecoderLimits Small = new(MaxWidth: 1024, MaxHeight: 1024, MaxPixels: 1 << 18) { MaxDecodedBytes = 4 << 20 };

    public static TheoryData<string> Seeds() => new() { "colour.jpg", "grey.jpg", "progressive.jpg", "a.bmp", "a.gif", "a.webp" };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Damaged_photo_decodes_or_is_rejected_cleanly(string seed)
    {
        byte[] valid = Seed(seed);
        Assert.NotNull(PhotoDecoder.Decode(valid, Small)); // the undamaged seed is valid
        var damage =
            from mode in Gen.Choose(0, 2)
            from position in Gen.Choose(0, valid.Length - 1)
            from value in Gen.Choose(1, 255)
            select mode switch
            {
                0 => valid[..position],
                1 => Flip(valid, position, value),
                _ => Flip(Flip(valid, position, value), (position * 7 + value) % valid.Length, value ^ 0x5A),
            };

        Prop.ForAll(damage.ToArbitrary(), DecodesOrRejectsCleanly).Check(Config.QuickThrowOnFailure.WithMaxTest(CasesPerSeed));
    }

    private static bool DecodesOrRejectsCleanly(byte[] bytes)
    {
        Hush.Imaging.Image? image = null;
        var (error, allocated) = FixtureAssert.RunWithin(() => image = PhotoDecoder.Decode(bytes, Small), TimeSpan.FromSeconds(10));
        // ImageSharp's pixel buffers come from its own (unmanaged) allocator, capped by the limits; what the managed
        // heap sees must stay within a small multiple of the limit too.
        long bound = 16 * Small.MaxDecodedBytes;
        if (allocated > bound)
            throw new Exception($"decoder allocated {allocated} bytes, over {bound} (error: {error?.Message ?? "none"})");
        if (error is ImageFormatException e)
            return e.Message.Length > 0 && !e.Message.Contains('\n');
        if (error != null)
            throw new Exception($"decoder threw {error.GetType().Name} instead of ImageFormatException: {error.Message}", error);
        return image!.Width * image.Height <= Small.MaxPixels;
    }

    private static byte[] Flip(byte[] valid, int position, int value)
    {
        var bytes = (byte[])valid.Clone();
        bytes[position] ^= (byte)value;
        return bytes;
    }

    private static byte[] Seed(string name)
    {
        using var stream = new MemoryStream();
        switch (name)
        {
            case "colour.jpg":
                PhotoEncoder.EncodeJpeg(PhotoImages.Smooth(24, 17, 3), stream, 80);
                break;
            case "grey.jpg":
                PhotoEncoder.EncodeJpeg(PhotoImages.Smooth(24, 17, 1), stream, 80);
                break;
            case "progressive.jpg":
                return Convert.FromBase64String(JpegFixtures.ProgressiveGradient);
            case "a.bmp":
                PhotoEncoder.EncodeBmp(PhotoImages.EightBit(13, 9, 3), stream);
                break;
            case "a.webp":
                using (var webp = new Image<Rgba32>(11, 7, new Rgba32(10, 200, 30, 128)))
                    webp.Save(stream, new WebpEncoder { FileFormat = WebpFileFormatType.Lossless });
                break;
            default:
                using (var gif = new Image<Rgba32>(9, 6, new Rgba32(250, 20, 20)))
                {
                    using var second = new Image<Rgba32>(9, 6, new Rgba32(20, 20, 250));
                    gif.Frames.AddFrame(second.Frames.RootFrame);
                    gif.Save(stream, new GifEncoder());
                }
                break;
        }
        return stream.ToArray();
    }
}
