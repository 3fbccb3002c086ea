namespace Hush.Imaging;

/// <summary>
/// Upper bounds checked against a file's header before any pixel memory is allocated.
/// </summary>
public sealed record DecoderLimits(int MaxWidth = 1 << 16, int MaxHeight = 1 << 16, long MaxPixels = 1L << 30)
{
    /// <summary>The limits used when none are given.</summary>
    public static DecoderLimits Default { get; } = new();

    /// <summary>
    /// Limits for a process that means to stay within <paramref name="memoryBytes"/>: no file may decode to more
    /// bytes than that (the samples are held as 4-byte floats, so this bounds the decoded image itself).
    /// </summary>
    public static DecoderLimits ForMemory(long memoryBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(memoryBytes);
        return Default with { MaxDecodedBytes = Math.Min(Default.MaxDecodedBytes, memoryBytes) };
    }

    /// <summary>
    /// Most bytes of decoded sample data one file may produce, over all its pages (TIFF, NPY).
    /// Compressed data is never inflated past what the header announces, and the header is checked
    /// against this before anything is allocated. Default 4 GiB.
    /// </summary>
    public long MaxDecodedBytes { get; init; } = 1L << 32;

    /// <summary>
    /// Largest ratio of decoded bytes to compressed bytes accepted once the decoded size passes
    /// <see cref="InflationFreeBytes"/>. Default 256: real photographs and micrographs compress 1.5:1 to 50:1
    /// (49:1 is the most among the 368 PNGs of the project's data), while Deflate tops out near 1032:1, where
    /// decompression bombs sit. Checked from the header and the compressed sizes, before anything is inflated.
    /// </summary>
    public double MaxInflationRatio { get; init; } = 256;

    /// <summary>
    /// Decoded size up to which any compression ratio is accepted (a small constant image is cheap however well
    /// it compresses). Default 64 MiB.
    /// </summary>
    public long InflationFreeBytes { get; init; } = 64L << 20;

    /// <summary>Most TIFF directories (pages) followed before giving up. Default 100,000.</summary>
    public int MaxPages { get; init; } = 100_000;
}
