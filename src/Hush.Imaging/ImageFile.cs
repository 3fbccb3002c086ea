using Hush.Imaging.Formats.Png;

namespace Hush.Imaging;

/// <summary>
/// File-level entry point: reads PNG or PNM by content (not extension) and writes by extension,
/// atomically, so a crash or error never leaves a half-written output file.
/// </summary>
public static class ImageFile
{
    private static readonly string[] SupportedExtensions = [".png", ".pgm", ".ppm", ".pnm"];

    public static bool IsSupportedExtension(string path) =>
        SupportedExtensions.Contains(Path.GetExtension(path ?? string.Empty).ToLowerInvariant());

    public static Image Read(string path, DecoderLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new ImageFormatException("file not found", path);

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageFormatException($"could not read the file ({e.Message})", path, e);
        }

        try
        {
            return Decode(bytes, limits);
        }
        catch (ImageFormatException e) when (e.Path is null)
        {
            // Decoders do not know the file name; attach it here so every message names the file.
            throw new ImageFormatException(e.Reason, path, e);
        }
    }

    private static Image Decode(byte[] bytes, DecoderLimits? limits)
    {
        if (PngSignature.Matches(bytes))
            return PngDecoder.Decode(bytes, limits);
        if (bytes.Length >= 2 && bytes[0] == (byte)'P' && bytes[1] is >= (byte)'1' and <= (byte)'7')
            return PnmDecoder.Decode(bytes, limits); // rejects P1/P4/P7 with a specific message
        throw new ImageFormatException(bytes.Length == 0
            ? "file is empty"
            : "unsupported image format (expected PNG or PNM P2/P3/P5/P6)");
    }

    public static void Write(Image image, string path, int? bitDepth = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(path);
        string extension = Path.GetExtension(path).ToLowerInvariant();
        if (!SupportedExtensions.Contains(extension))
            throw new ImageFormatException($"cannot write extension '{extension}' (supported: {string.Join(", ", SupportedExtensions)})", path);

        int depth = bitDepth ?? (image.BitDepth > 8 ? 16 : 8);
        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath)!;
        string temp = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");

        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                if (extension == ".png")
                    PngEncoder.Encode(image, stream, depth);
                else
                    PnmEncoder.Encode(image, stream, depth);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the original error matters more than a leftover temp file.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
