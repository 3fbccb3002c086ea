using Hush.Imaging.Formats.Tiff;

namespace Hush.Imaging;

/// <summary>
/// Writes an <see cref="ImageStack"/> as little-endian TIFF (BigTIFF past 4 GB) in its own sample type,
/// uncompressed or Deflate, one page per plane, with an ImageJ hyperstack or tifffile JSON description so
/// that ImageJ and tifffile read the axes back. Page layout rules are in <c>README.md</c>.
/// </summary>
public static class TiffEncoder
{
    /// <summary>Writes <paramref name="stack"/> as TIFF, with its axes in the description.</summary>
    public static void Encode(ImageStack stack, Stream stream, TiffEncoderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(stream);
        new TiffEncoderCore(options ?? TiffEncoderOptions.Default).Encode(stack, stream);
    }
}
