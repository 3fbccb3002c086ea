using System.Diagnostics.CodeAnalysis;

namespace Hush.Imaging;

/// <summary>
/// Central place for building decoder errors, so every rejection is an <see cref="ImageFormatException"/>
/// with a consistent message.
/// </summary>
internal static class ThrowHelper
{
    public static ImageFormatException Format(string message, Exception? inner = null) => new(message, null, inner);

    [DoesNotReturn]
    public static void ThrowFormat(string message) => throw Format(message);

    /// <summary>Rejects dimensions that are zero or over the limits, before anything is allocated for them.</summary>
    public static void CheckDimensions(string format, long width, long height, int samplesPerPixel, DecoderLimits limits)
    {
        if (width <= 0 || height <= 0)
            ThrowFormat($"{format} image has invalid dimensions {width}x{height}");
        if (width > limits.MaxWidth)
            ThrowFormat($"{format} image width {width} exceeds the limit of {limits.MaxWidth}");
        if (height > limits.MaxHeight)
            ThrowFormat($"{format} image height {height} exceeds the limit of {limits.MaxHeight}");
        long pixels = width * height;
        if (pixels > limits.MaxPixels)
            ThrowFormat($"{format} image {width}x{height} has {pixels} pixels, over the limit of {limits.MaxPixels}");
        if (pixels * samplesPerPixel > Array.MaxLength)
            ThrowFormat($"{format} image {width}x{height} is too large to hold in memory");
        long floatBytes = pixels * samplesPerPixel * sizeof(float);
        if (floatBytes > limits.MaxDecodedBytes)
            ThrowFormat($"{format} image {width}x{height}x{samplesPerPixel} needs {floatBytes} bytes decoded, over the limit of {limits.MaxDecodedBytes}");
    }

    /// <summary>
    /// Refuses data that would inflate from <paramref name="compressedBytes"/> to <paramref name="decodedBytes"/> at a
    /// ratio no real image has (see <see cref="DecoderLimits.MaxInflationRatio"/>), before it is inflated.
    /// </summary>
    public static void CheckInflation(string format, long decodedBytes, long compressedBytes, DecoderLimits limits)
    {
        if (decodedBytes <= limits.InflationFreeBytes)
            return;
        double ratio = decodedBytes / (double)Math.Max(1, compressedBytes);
        if (ratio > limits.MaxInflationRatio)
            ThrowFormat($"{format} data would inflate {compressedBytes} bytes to {decodedBytes} ({ratio:0}:1, over the limit of {limits.MaxInflationRatio:0}:1): refusing a likely decompression bomb");
    }
}
