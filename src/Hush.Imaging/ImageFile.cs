using Hush.Imaging.Formats.Png;

namespace Hush.Imaging;

/// <summary>
/// File-level entry point: reads PNG, PNM, TIFF or NPY by content (not extension) and writes by extension,
/// atomically, so a crash or error never leaves a half-written output file.
/// </summary>
public static class ImageFile
{
    private static readonly string[] SupportedExtensions = [".png", ".pgm", ".ppm", ".pnm", ".tif", ".tiff", ".npy"];

    /// <summary>Whether <paramref name="path"/>'s extension is a format Hush can write.</summary>
    public static bool IsSupportedExtension(string path) =>
        SupportedExtensions.Contains(Path.GetExtension(path ?? string.Empty).ToLowerInvariant());

    /// <summary>
    /// Reads one 2-D image (with its colour channels and alpha). TIFF and NPY files are read as a stack and
    /// converted by <see cref="ImageStack.ToImage"/>; a file holding several planes is rejected with a message
    /// pointing to <see cref="ReadStack"/>.
    /// </summary>
    public static Image Read(string path, DecoderLimits? limits = null)
    {
        byte[] bytes = ReadBytes(path);
        return WithPath(path, () =>
        {
            if (!IsStackFormat(bytes, path))
                return Decode(bytes, limits);
            var stack = DecodeStack(bytes, path, limits, axes: null);
            if (stack.PlaneCount != 1)
                throw new ImageFormatException($"file is a stack of {stack.PlaneCount} planes ({stack}); use ImageFile.ReadStack");
            return stack.ToImage();
        });
    }

    /// <summary>
    /// Reads any supported file as a stack of raw samples. PNG and PNM give a single "YX" or "YXS" plane
    /// (<see cref="ImageStack.FromImage"/>). <paramref name="axes"/> names the axes of an NPY array (which stores
    /// none) and, for other formats, renames the decoded axes (same number of axes).
    /// </summary>
    public static ImageStack ReadStack(string path, DecoderLimits? limits = null, string? axes = null)
    {
        byte[] bytes = ReadBytes(path);
        return WithPath(path, () =>
        {
            if (IsStackFormat(bytes, path))
                return DecodeStack(bytes, path, limits, axes);
            var image = Decode(bytes, limits);
            var stack = ImageStack.FromImage(image);
            var metadata = stack.Metadata with { Format = PngSignature.Matches(bytes) ? "PNG" : "PNM", AxesSource = "pages" };
            stack = new ImageStack(stack.Axes, stack.Shape, stack.SampleType, stack.Data, stack.ExactData, metadata);
            return axes is null ? stack : Rename(stack, axes);
        });
    }

    /// <summary>Writes <paramref name="image"/> atomically in the format its extension names; <paramref name="bitDepth"/> 8 or 16, else the image's own.</summary>
    public static void Write(Image image, string path, int? bitDepth = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(path);
        string extension = CheckExtension(path);
        int depth = bitDepth ?? (image.BitDepth > 8 ? 16 : 8);
        WriteAtomically(path, stream =>
        {
            switch (extension)
            {
                case ".png":
                    PngEncoder.Encode(image, stream, depth);
                    break;
                case ".tif" or ".tiff" or ".npy":
                    SampleQuantizerCheck(depth);
                    var stack = ImageStack.FromImage(image, depth == 16 ? SampleType.UInt16 : SampleType.UInt8);
                    EncodeStack(stack, extension, stream, null);
                    break;
                default:
                    PnmEncoder.Encode(image, stream, depth);
                    break;
            }
        });
    }

    /// <summary>
    /// Writes a stack: TIFF (any shape, <paramref name="options"/> apply) and NPY keep the sample type, shape and
    /// values exactly. PNG and PNM take a single plane set (<see cref="ImageStack.PlaneCount"/> 1), converted by
    /// <see cref="ImageStack.ToImage"/>: Bool and UInt8 are written with 8 bits, every other type with 16
    /// (floats clamped to [0,1], so only TIFF and NPY keep them).
    /// </summary>
    public static void WriteStack(ImageStack stack, string path, TiffEncoderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(path);
        string extension = CheckExtension(path);
        if (extension is ".png" or ".pgm" or ".ppm" or ".pnm" && stack.PlaneCount != 1)
            throw new ImageFormatException($"cannot write a stack of {stack.PlaneCount} planes ({stack}) as {extension}; use .tif or .npy", path);
        WriteAtomically(path, stream => EncodeStack(stack, extension, stream, options));
    }

    private static void EncodeStack(ImageStack stack, string extension, Stream stream, TiffEncoderOptions? options)
    {
        switch (extension)
        {
            case ".tif" or ".tiff":
                TiffEncoder.Encode(stack, stream, options);
                break;
            case ".npy":
                NpyEncoder.Encode(stack, stream);
                break;
            default:
                var image = stack.ToImage();
                int depth = stack.SampleType is SampleType.Bool or SampleType.UInt8 ? 8 : 16;
                if (extension == ".png")
                    PngEncoder.Encode(image, stream, depth);
                else
                    PnmEncoder.Encode(image, stream, depth);
                break;
        }
    }

    private static void SampleQuantizerCheck(int bitDepth) => Formats.SampleQuantizer.CheckBitDepth(bitDepth);

    /// <summary>
    /// TIFF or NPY by content; or, when the content is no known format, by a .tif/.tiff/.npy name, so that a
    /// damaged file gets the TIFF or NPY reader's specific message rather than "unknown format".
    /// </summary>
    private static bool IsStackFormat(byte[] bytes, string path)
    {
        if (TiffDecoder.IsTiff(bytes) || NpyDecoder.IsNpy(bytes))
            return true;
        bool knownContent = PngSignature.Matches(bytes) || (bytes.Length >= 2 && bytes[0] == (byte)'P' && bytes[1] is >= (byte)'1' and <= (byte)'7');
        return !knownContent && Path.GetExtension(path).ToLowerInvariant() is ".tif" or ".tiff" or ".npy";
    }

    private static ImageStack DecodeStack(byte[] bytes, string path, DecoderLimits? limits, string? axes)
    {
        bool npy = NpyDecoder.IsNpy(bytes) || (!TiffDecoder.IsTiff(bytes) && Path.GetExtension(path).Equals(".npy", StringComparison.OrdinalIgnoreCase));
        if (npy)
            return NpyDecoder.Decode(bytes, limits, axes);
        var stack = TiffDecoder.Decode(bytes, limits);
        return axes is null ? stack : Rename(stack, axes);
    }

    private static ImageStack Rename(ImageStack stack, string axes)
    {
        try
        {
            return stack.WithAxes(axes.ToUpperInvariant());
        }
        catch (ArgumentException e)
        {
            throw new ImageFormatException($"axes '{axes}' do not fit the decoded {stack}: {e.Message}", null, e);
        }
    }

    private static byte[] ReadBytes(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new ImageFormatException("file not found", path);
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageFormatException($"could not read the file ({e.Message})", path, e);
        }
    }

    private static T WithPath<T>(string path, Func<T> decode)
    {
        try
        {
            return decode();
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
            : "unsupported image format (expected PNG, PNM P2/P3/P5/P6, TIFF or NPY)");
    }

    private static string CheckExtension(string path)
    {
        string extension = Path.GetExtension(path).ToLowerInvariant();
        if (!SupportedExtensions.Contains(extension))
            throw new ImageFormatException($"cannot write extension '{extension}' (supported: {string.Join(", ", SupportedExtensions)})", path);
        return extension;
    }

    /// <summary>Writes into a temp file in the target folder and moves it over the target only when complete.</summary>
    private static void WriteAtomically(string path, Action<Stream> encode)
    {
        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath)!;
        string temp = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                encode(stream);
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
