namespace Hush.Imaging;

/// <summary>
/// Upper bounds checked against a file's header before any pixel memory is allocated.
/// </summary>
public sealed record DecoderLimits(int MaxWidth = 1 << 16, int MaxHeight = 1 << 16, long MaxPixels = 1L << 30)
{
    /// <summary>The limits used when none are given.</summary>
    public static DecoderLimits Default { get; } = new();

    /// <summary>
    /// Most bytes of decoded sample data one file may produce, over all its pages (TIFF, NPY).
    /// Compressed data is never inflated past what the header announces, and the header is checked
    /// against this before anything is allocated. Default 4 GiB.
    /// </summary>
    public long MaxDecodedBytes { get; init; } = 1L << 32;

    /// <summary>Most TIFF directories (pages) followed before giving up. Default 100,000.</summary>
    public int MaxPages { get; init; } = 100_000;
}
