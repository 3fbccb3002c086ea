using Hush.Imaging.Formats;
using Hush.Imaging.Formats.Tiff;

namespace Hush.Imaging;

/// <summary>
/// Reads TIFF and BigTIFF (either byte order) into an <see cref="ImageStack"/> holding the original sample
/// values with tifffile's shape and axes: multi-page files become stacks, ImageJ hyperstack and OME-XML
/// metadata name the axes. What is supported and rejected is listed in <c>README.md</c>; every problem with
/// the input surfaces as an <see cref="ImageFormatException"/>.
/// </summary>
public static class TiffDecoder
{
    /// <summary>Reads a TIFF or BigTIFF file from <paramref name="stream"/> within <paramref name="limits"/>.</summary>
    public static ImageStack Decode(Stream stream, DecoderLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Decode(StreamBytes.ReadAll(stream, "TIFF"), limits);
    }

    /// <summary>Reads a TIFF or BigTIFF file held in <paramref name="bytes"/> within <paramref name="limits"/>.</summary>
    public static ImageStack Decode(ReadOnlySpan<byte> bytes, DecoderLimits? limits = null) => Decode(bytes.ToArray(), limits);

    /// <summary>True when the bytes start with a TIFF or BigTIFF header ("II*\0", "MM\0*", or version 43).</summary>
    public static bool IsTiff(ReadOnlySpan<byte> bytes) => TiffHeader.LooksLikeTiff(bytes);

    internal static ImageStack Decode(byte[] bytes, DecoderLimits? limits) =>
        new TiffDecoderCore(limits ?? DecoderLimits.Default).Decode(bytes);
}
