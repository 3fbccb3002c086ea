namespace Hush.Cli;

/// <summary>The process exit codes the README documents.</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;
    /// <summary>Could not finish: unwritable output, training diverged, cancelled.</summary>
    public const int Failure = 1;
    /// <summary>Wrong options, output over the input, unknown output format, output exists.</summary>
    public const int BadUsage = 2;
    /// <summary>Unreadable, corrupt, truncated or unsupported input file.</summary>
    public const int InvalidInput = 3;
    /// <summary>A batch finished, but some of its files failed (each named on stderr).</summary>
    public const int PartialFailure = 4;
    /// <summary>A model or checkpoint file that is corrupt, of another version, or does not fit the input.</summary>
    public const int InvalidModel = 5;
}

/// <summary>A user mistake on the command line; reported as one line, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>Input that is missing or unreadable but is not an image file (a folder, a table); exit code 3,
/// like <see cref="Hush.Imaging.ImageFormatException"/>.</summary>
public sealed class InvalidInputException(string message) : Exception(message);

/// <summary>A failure that is nobody's input mistake (a write failed, training diverged); exit code 1.</summary>
public sealed class CommandFailedException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A model file (<c>hush apply</c>) or resumable checkpoint that cannot be used: not a model, another format
/// version, another method, or shapes/channels/run that do not fit; exit code 5.</summary>
public sealed class InvalidModelException(string message) : Exception(message);
