using Hush.Imaging.Formats;
using Hush.Imaging.Formats.Pnm;

namespace Hush.Imaging;

/// <summary>
/// Decodes Netpbm P2/P3 (plain) and P5/P6 (binary) images, maxval 1..65535
/// (values above 255 are 16-bit big-endian in binary files). BitDepth is 16 when maxval &gt; 255, else 8;
/// <see cref="Image.MaxValue"/> keeps the maxval (e.g. 1023 for 10-bit data) so a writer can keep it too.
/// </summary>
public static class PnmDecoder
{
    /// <summary>Reads a PGM or PPM image (P2, P3, P5, P6) from <paramref name="stream"/> within <paramref name="limits"/>.</summary>
    public static Image Decode(Stream stream, DecoderLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Decode(StreamBytes.ReadAll(stream, "PNM"), limits);
    }

    internal static Image Decode(ReadOnlySpan<byte> bytes, DecoderLimits? limits = null) =>
        new PnmDecoderCore(bytes, limits ?? DecoderLimits.Default).Decode();
}
