using System.Text.RegularExpressions;
using Hush.Imaging;

namespace Hush.Cli;

/// <summary>Checks an output path before any work is done, so a long training run never ends in
/// "cannot write", and no input is ever overwritten. Errors name the user's path, never a temporary file.</summary>
internal static class OutputPaths
{
    /// <summary>Validates <paramref name="output"/>, creates its folder if needed (as a batch does), and proves a file
    /// can really be created there by creating and deleting a probe file, so a read-only or full location fails now.</summary>
    public static void Check(string output, bool overwrite, params string[] inputs)
    {
        if (!ImageFile.IsWritableExtension(output))
            throw new UsageException($"{output}: unknown output format (use {WritableList})");
        string full = Path.GetFullPath(output);
        foreach (var input in inputs)
            if (string.Equals(full, Path.GetFullPath(input), StringComparison.Ordinal))
                throw new UsageException($"{output}: refusing to write the output over the input");
        if (Directory.Exists(full))
            throw new UsageException($"{output}: is a folder, not a file");
        if (File.Exists(full) && !overwrite)
            throw new UsageException($"{output}: already exists (pass --overwrite to replace it)");
        string dir = Path.GetDirectoryName(full)!;
        try
        {
            Directory.CreateDirectory(dir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException($"{output}: cannot create the folder {dir}: {Reason(e, dir, dir)}", e);
        }
        Probe(full, output);
    }

    /// <summary>Refuses a <c>--report</c> page path that is not .html/.htm, names an input or another output, is a folder,
    /// or exists without <paramref name="overwrite"/>; all before anything is created, so a refused run leaves nothing.</summary>
    public static void CheckReportName(string report, bool overwrite, string[] inputs, params string?[] outputs)
    {
        if (Path.GetExtension(report).ToLowerInvariant() is not (".html" or ".htm"))
            throw new UsageException($"{report}: a report is an HTML page; name it .html or .htm");
        string full = Path.GetFullPath(report);
        foreach (var input in inputs)
            if (string.Equals(full, Path.GetFullPath(input), StringComparison.Ordinal))
                throw new UsageException($"{report}: refusing to write the report over the input");
        foreach (var output in outputs)
            if (output is not null && string.Equals(full, Path.GetFullPath(output), StringComparison.Ordinal))
                throw new UsageException($"{report}: the report and {output} are the same file");
        if (Directory.Exists(full)) throw new UsageException($"{report}: is a folder, not a file");
        if (File.Exists(full) && !overwrite) throw new UsageException($"{report}: already exists (pass --overwrite to replace it)");
    }

    /// <summary>Creates the report's folder if needed and proves a file can be created there (after
    /// <see cref="CheckReportName"/>), so a long run never ends unable to write its report.</summary>
    public static void CheckReportWritable(string report)
    {
        string full = Path.GetFullPath(report), dir = Path.GetDirectoryName(full)!;
        try
        {
            Directory.CreateDirectory(dir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException($"{report}: cannot create the folder {dir}: {Reason(e, dir, dir)}", e);
        }
        Probe(full, report);
    }

    /// <summary>Creates and deletes an empty file beside <paramref name="full"/> (named like the atomic write's temporary
    /// files, so a batch's clean-up also removes one a killed run left).</summary>
    internal static void Probe(string full, string output)
    {
        string probe = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException($"{output}: cannot write: {Reason(e, probe, output)}", e);
        }
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
            string temp = TempName.Match(e.Message) is { Success: true } m ? m.Value : output;
            throw new CommandFailedException($"{output}: cannot write: {Reason(e, temp, output)}", e);
        }
    }

    /// <summary>The system's reason without the path it quotes (the caller names the user's path):
    /// "Read-only file system", "No space left on device", "permission denied".</summary>
    internal static string Reason(Exception e, string path, string output)
    {
        if (e is UnauthorizedAccessException) return "permission denied";
        string message = e.Message.Replace($" : '{path}'", "").Replace(path, output).Trim();
        return message.TrimEnd('.');
    }

    /// <summary>A path ending in an atomic write's temporary name, ".NAME.GUID.tmp".</summary>
    private static readonly Regex TempName = new(@"(?<=')[^']*\.[0-9a-f]{32}\.tmp(?=')|\S*\.[0-9a-f]{32}\.tmp");
}
