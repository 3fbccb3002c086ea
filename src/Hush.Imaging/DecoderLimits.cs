namespace Hush.Imaging;

/// <summary>
/// Upper bounds checked against a file's header before any pixel memory is allocated.
/// </summary>
public sealed record DecoderLimits(int MaxWidth = 1 << 16, int MaxHeight = 1 << 16, long MaxPixels = 1L << 30)
{
    public static DecoderLimits Default { get; } = new();
}
