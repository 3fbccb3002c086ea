using Hush.Imaging.Formats;
using Hush.Imaging.Formats.Png;

namespace Hush.Imaging;

/// <summary>
/// Decodes PNG (all colour types and bit depths, interlaced or not) into an <see cref="Image"/>.
/// Every problem with the input surfaces as an <see cref="ImageFormatException"/>.
/// </summary>
public static class PngDecoder
{
    /// <summary>Reads a PNG image from <paramref name="stream"/> within <paramref name="limits"/>.</summary>
    public static Image Decode(Stream stream, DecoderLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Decode(StreamBytes.ReadAll(stream, "PNG"), limits);
    }

    /// <summary>Reads a PNG image held in <paramref name="bytes"/> within <paramref name="limits"/>.</summary>
    public static Image Decode(ReadOnlySpan<byte> bytes, DecoderLimits? limits = null) =>
        new PngDecoderCore(limits ?? DecoderLimits.Default).Decode(bytes);
}
