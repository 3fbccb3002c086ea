using Hush.Imaging;

namespace Hush.Cli.Formats;

/// <summary>What each output format can hold. TIFF and NPY keep any stack exactly (NPY stores no axis names: a
/// reader infers them from the shape, or takes --axes). PNG and PGM/PPM hold one plane of Bool/uint8/uint16
/// samples; PGM/PPM have no alpha. JPEG, BMP and WebP hold one plane of 8-bit samples, alpha in WebP only; JPEG
/// is also lossy by design, which its extension asks for. One table, used by denoise and convert alike.</summary>
internal static class OutputFormats
{
    /// <summary>Why <paramref name="stack"/> cannot be written as <paramref name="extension"/> at all, or null.</summary>
    public static string? Impossible(ImageStack stack, string extension)
    {
        if (!IsPlain(extension) || stack.PlaneCount == 1)
            return null;
        return $"a stack of {stack.PlaneCount} planes ({stack}) does not fit one {extension} image; write .tif or .npy";
    }

    /// <summary>What writing <paramref name="stack"/> as <paramref name="extension"/> would lose besides JPEG's own
    /// compression, or null when nothing.</summary>
    public static string? Loss(ImageStack stack, string extension)
    {
        if (!IsPlain(extension))
            return null;
        if (IsEightBitOnly(extension) && stack.SampleType is not (SampleType.Bool or SampleType.UInt8))
            return $"{stack.SampleType.NumpyName()} samples do not fit {extension} (8-bit only); write .png, .tif or .npy";
        if (stack.SampleType is not (SampleType.Bool or SampleType.UInt8 or SampleType.UInt16))
            return $"{stack.SampleType.NumpyName()} samples do not fit {extension} (8 or 16-bit unsigned only); write .tif or .npy";
        int samples = stack.ChannelAxis is char axis ? stack.SizeOf(axis) : 1;
        if (extension is not (".png" or ".webp") && samples is 2 or 4)
            return $"{extension} has no alpha channel; write .png, .tif or .npy";
        return null;
    }

    /// <summary>One 2-D image with up to 4 samples per pixel: PNG and PNM (8 or 16 bits), JPEG, BMP and WebP (8 bits).</summary>
    public static bool IsPlain(string extension) => extension is ".png" or ".pgm" or ".ppm" or ".pnm" || IsEightBitOnly(extension);

    /// <summary>Formats that store 8 bits a sample and nothing else.</summary>
    public static bool IsEightBitOnly(string extension) => extension is ".jpg" or ".jpeg" or ".bmp" or ".webp";

    /// <summary>JPEG: lossy whatever the data; chosen only by its extension.</summary>
    public static bool IsLossyCompression(string extension) => extension is ".jpg" or ".jpeg";

    public static string ExtensionOf(string path) => Path.GetExtension(path).ToLowerInvariant();
}
