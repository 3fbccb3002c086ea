using Hush.Imaging.Formats.Png;

namespace Hush.Imaging;

/// <summary>
/// File-level entry point: reads PNG, PNM, TIFF, NPY, JPEG, BMP, GIF or WebP by content (not extension) and writes
/// by extension, atomically, so a crash or error never leaves a half-written output file. JPEG, a lossy format, is
/// written only when the output's extension asks for it (.jpg, .jpeg).
/// </summary>
public static partial class ImageFile
{
    private static readonly string[] WritableExtensions = [".png", ".pgm", ".ppm", ".pnm", ".tif", ".tiff", ".npy", ".jpg", ".jpeg", ".bmp", ".webp"];
    private static readonly string[] ReadableExtensions = [.. WritableExtensions, ".gif"];

    /// <summary>True when files named like <paramref name="path"/> can be read (what folder listings pick up).</summary>
    public static bool IsSupportedExtension(string path) =>
        ReadableExtensions.Contains(Path.GetExtension(path ?? string.Empty).ToLowerInvariant());

    /// <summary>True when <see cref="Write"/> and <see cref="WriteStack"/> can write a file named like <paramref name="path"/>.</summary>
    public static bool IsWritableExtension(string path) =>
        WritableExtensions.Contains(Path.GetExtension(path ?? string.Empty).ToLowerInvariant());

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
            var metadata = stack.Metadata with { Format = PlainFormatName(bytes), AxesSource = null };
            stack = new ImageStack(stack.Axes, stack.Shape, stack.SampleType, stack.Data, stack.ExactData, metadata);
            return axes is null ? stack : Rename(stack, axes);
        });
    }

    /// <summary>
    /// Writes one image by the path's extension, with <paramref name="bitDepth"/> bits a sample (default: 16 when the
    /// image has more than 8, else 8; JPEG, BMP and WebP take 8 only). <paramref name="quality"/> (1..100, default
    /// <see cref="PhotoEncoder.DefaultJpegQuality"/>) applies to JPEG.
    /// </summary>
    public static void Write(Image image, string path, int? bitDepth = null, int? quality = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(path);
        string extension = CheckExtension(path);
        int depth = bitDepth ?? (image.BitDepth > 8 ? 16 : 8);
        WriteAtomically(path, stream =>
        {
            switch (extension)
            {
                case ".jpg" or ".jpeg" or ".bmp" or ".webp":
                    if (bitDepth is not (null or 8))
                        throw new ArgumentOutOfRangeException(nameof(bitDepth), bitDepth, $"{extension} holds 8 bits a sample only.");
                    EncodePhoto(image, extension, stream, quality);
                    break;
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
    /// (floats clamped to [0,1], so only TIFF and NPY keep them). JPEG, BMP and WebP take the same single plane at
    /// 8 bits whatever the type; <paramref name="quality"/> applies to JPEG.
    /// </summary>
    public static void WriteStack(ImageStack stack, string path, TiffEncoderOptions? options = null, int? quality = null)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(path);
        string extension = CheckExtension(path);
        if (extension is not (".tif" or ".tiff" or ".npy") && stack.PlaneCount != 1)
            throw new ImageFormatException($"cannot write a stack of {stack.PlaneCount} planes ({stack}) as {extension}; use .tif or .npy", path);
        WriteAtomically(path, stream => EncodeStack(stack, extension, stream, options, quality));
    }

    private static void EncodeStack(ImageStack stack, string extension, Stream stream, TiffEncoderOptions? options, int? quality = null)
    {
        switch (extension)
        {
            case ".jpg" or ".jpeg" or ".bmp" or ".webp":
                EncodePhoto(stack.ToImage(), extension, stream, quality);
                break;
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
