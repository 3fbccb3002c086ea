using Hush.Imaging;

namespace Hush.Cli;

/// <summary>Checks an output path before any work is done, so a long training run never ends in
/// "cannot write", and no input is ever overwritten.</summary>
internal static class OutputPaths
{
    public static void Check(string output, bool overwrite, params string[] inputs)
    {
        if (!ImageFile.IsWritableExtension(output))
            throw new UsageException($"{output}: unknown output format (use {WritableList})");
        string full = Path.GetFullPath(output);
        foreach (var input in inputs)
            if (string.Equals(full, Path.GetFullPath(input), StringComparison.Ordinal))
                throw new UsageException($"{output}: refusing to write the output over the input");
        string? dir = Path.GetDirectoryName(full);
        if (dir != null && !Directory.Exists(dir))
            throw new CommandFailedException($"{output}: cannot write: folder {dir} does not exist");
        if (Directory.Exists(full))
            throw new UsageException($"{output}: is a folder, not a file");
        if (File.Exists(full) && !overwrite)
            throw new UsageException($"{output}: already exists (pass --overwrite to replace it)");
    }

    /// <summary>The output formats, for messages.</summary>
    public const string WritableList = ".png, .pgm, .ppm, .pnm, .tif, .tiff, .npy, .jpg, .jpeg, .bmp or .webp";

    /// <summary>Writes atomically (the codec writes a temporary file and renames it), translating I/O
    /// failures into one-line errors. <paramref name="quality"/> applies to JPEG.</summary>
    public static void Write(Image image, string output, int? bitDepth, int? quality = null) =>
        Writing(output, () => ImageFile.Write(image, output, bitDepth, quality));

    /// <summary>Writes a stack atomically, keeping its sample type (TIFF, NPY) or as one image (PNG, PNM, photo formats).</summary>
    public static void Write(ImageStack stack, string output, int? quality = null) =>
        Writing(output, () => ImageFile.WriteStack(stack, output, quality: quality));

    private static void Writing(string output, Action write)
    {
        try
        {
            write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException($"{output}: cannot write: {e.Message}", e);
        }
    }
}
