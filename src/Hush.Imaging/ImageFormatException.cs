namespace Hush.Imaging;

/// <summary>
/// The one exception type for input that is malformed, truncated, over the limits or unsupported.
/// The message is always a single line, prefixed with the file path when it is known.
/// </summary>
public sealed class ImageFormatException : Exception
{
    /// <summary>A problem with a file's contents, naming the file when known.</summary>
    public ImageFormatException(string message, string? path = null, Exception? inner = null)
        : base(Compose(message, path), inner)
    {
        Reason = OneLine(message);
        Path = path;
    }

    /// <summary>The file the problem was found in, when known.</summary>
    public string? Path { get; }

    /// <summary>The message without the path prefix (used to re-attach a path).</summary>
    internal string Reason { get; }

    private static string Compose(string message, string? path) =>
        path is null ? OneLine(message) : $"{path}: {OneLine(message)}";

    // Messages end up in CLI output and logs one per line, so never let a newline through.
    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
