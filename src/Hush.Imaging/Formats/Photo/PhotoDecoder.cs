using Hush.Imaging.Formats;
using Hush.Imaging.Formats.Photo;

namespace Hush.Imaging;

/// <summary>
/// Decodes JPEG (baseline and progressive), BMP, GIF (first frame) and WebP through ImageSharp into an
/// <see cref="Image"/>: upright (EXIF orientation applied), 8 bits a sample, 1 channel for grey JPEGs, 3 for colour,
/// plus alpha when some pixel is not opaque. The header is checked against the limits before any pixel is decoded;
/// every problem with the input surfaces as an <see cref="ImageFormatException"/>.
/// </summary>
public static class PhotoDecoder
{
    /// <summary>True when the bytes start like a JPEG, BMP, GIF or WebP file.</summary>
    public static bool IsPhoto(ReadOnlySpan<byte> bytes) => PhotoFormats.Detect(bytes) != PhotoFormat.None;

    /// <summary>Reads the whole stream and decodes it (see the class remarks).</summary>
    public static Image Decode(Stream stream, DecoderLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Decode(StreamBytes.ReadAll(stream, "photo"), limits);
    }

    /// <summary>Decodes a whole file held in memory (see the class remarks).</summary>
    public static Image Decode(byte[] bytes, DecoderLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return new PhotoDecoderCore(limits ?? DecoderLimits.Default).Decode(bytes);
    }

    internal static PhotoInfo Identify(byte[] bytes, DecoderLimits? limits = null) =>
        new PhotoDecoderCore(limits ?? DecoderLimits.Default).Identify(bytes);
}
