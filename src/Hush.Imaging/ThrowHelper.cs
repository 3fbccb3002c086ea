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
    }
}
