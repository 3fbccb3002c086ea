using Hush.Imaging.Formats.Png;

namespace Hush.Imaging;

/// <summary>Which decoder and encoder a file goes to.</summary>
public static partial class ImageFile
{
    /// <summary>
    /// TIFF or NPY by content; or, when the content is no known format, by a .tif/.tiff/.npy name, so that a
    /// damaged file gets the TIFF or NPY reader's specific message rather than "unknown format".
    /// </summary>
    private static bool IsStackFormat(byte[] bytes, string path)
    {
        if (TiffDecoder.IsTiff(bytes) || NpyDecoder.IsNpy(bytes))
            return true;
        bool knownContent = PngSignature.Matches(bytes) || IsPnm(bytes) || PhotoDecoder.IsPhoto(bytes);
        return !knownContent && Path.GetExtension(path).ToLowerInvariant() is ".tif" or ".tiff" or ".npy";
    }

    private static bool IsPnm(byte[] bytes) => bytes.Length >= 2 && bytes[0] == (byte)'P' && bytes[1] is >= (byte)'1' and <= (byte)'7';

    /// <summary>"PNG", "PNM", "JPEG", ... for a file that holds one 2-D image.</summary>
    private static string PlainFormatName(byte[] bytes) =>
        PngSignature.Matches(bytes) ? "PNG"
        : IsPnm(bytes) ? "PNM"
        : Formats.Photo.PhotoFormats.Name(Formats.Photo.PhotoFormats.Detect(bytes));

    private static Image Decode(byte[] bytes, DecoderLimits? limits)
    {
        if (PngSignature.Matches(bytes))
            return PngDecoder.Decode(bytes, limits);
        if (IsPnm(bytes))
            return PnmDecoder.Decode(bytes, limits); // rejects P1/P4/P7 with a specific message
        if (PhotoDecoder.IsPhoto(bytes))
            return PhotoDecoder.Decode(bytes, limits);
        throw new ImageFormatException(bytes.Length == 0
            ? "file is empty"
            : "unsupported image format (expected PNG, PNM P2/P3/P5/P6, TIFF, NPY, JPEG, BMP, GIF or WebP)");
    }

    private static void EncodePhoto(Image image, string extension, Stream stream, int? quality)
    {
        if (extension is ".bmp")
            PhotoEncoder.EncodeBmp(image, stream);
        else if (extension is ".webp")
            PhotoEncoder.EncodeWebP(image, stream);
        else
            PhotoEncoder.EncodeJpeg(image, stream, quality ?? PhotoEncoder.DefaultJpegQuality);
    }

    private static string CheckExtension(string path)
    {
        string extension = Path.GetExtension(path).ToLowerInvariant();
        if (!WritableExtensions.Contains(extension))
            throw new ImageFormatException($"cannot write extension '{extension}' (supported: {string.Join(", ", WritableExtensions)})", path);
        return extension;
    }
}
