using Hush.Imaging.Formats.Photo;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Webp;

namespace Hush.Imaging;

/// <summary>
/// Writes 8-bit photo formats through ImageSharp: JPEG (lossy, with a quality), BMP and WebP (both lossless).
/// Grey images stay grey; alpha is kept by WebP only.
/// </summary>
public static class PhotoEncoder
{
    /// <summary>The JPEG quality used when none is given.</summary>
    public const int DefaultJpegQuality = 95;

    /// <summary>Baseline JPEG at <paramref name="quality"/> (1..100). Colour is subsampled 4:2:0 below quality 90 and
    /// kept at full resolution (4:4:4) from 90 on, where subsampling would cost more than the quality asked for.</summary>
    public static void EncodeJpeg(Image image, Stream stream, int quality = DefaultJpegQuality)
    {
        CheckArguments(image, stream);
        if (quality is < 1 or > 100)
            throw new ArgumentOutOfRangeException(nameof(quality), quality, "JPEG quality must be 1..100.");
        if (image.Channels == 1)
        {
            using var grey = PhotoPixels.ToGrey(image);
            grey.Save(stream, new JpegEncoder { Quality = quality, ColorType = JpegColorType.Luminance });
            return;
        }
        using var rgb = PhotoPixels.ToRgba(image);
        rgb.Save(stream, new JpegEncoder { Quality = quality, ColorType = quality >= 90 ? JpegColorType.YCbCrRatio444 : JpegColorType.YCbCrRatio420 });
    }

    /// <summary>Uncompressed BMP: 8-bit grey (palette of greys) or 24-bit RGB; alpha is dropped.</summary>
    public static void EncodeBmp(Image image, Stream stream)
    {
        CheckArguments(image, stream);
        if (image.Channels == 1)
        {
            using var grey = PhotoPixels.ToGrey(image);
            grey.Save(stream, new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel8 });
            return;
        }
        using var rgb = PhotoPixels.ToRgba(image);
        rgb.Save(stream, new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel24 });
    }

    /// <summary>Lossless WebP (RGB, or RGBA when the image has alpha; grey is stored as RGB).</summary>
    public static void EncodeWebP(Image image, Stream stream)
    {
        CheckArguments(image, stream);
        using var rgb = PhotoPixels.ToRgba(image);
        rgb.Save(stream, new WebpEncoder { FileFormat = WebpFileFormatType.Lossless });
    }

    private static void CheckArguments(Image image, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(stream);
        if (image.Channels is not (1 or 3))
            throw new ArgumentException($"Photo formats store 1 (grey) or 3 (RGB) channels, not {image.Channels}.", nameof(image));
    }
}
