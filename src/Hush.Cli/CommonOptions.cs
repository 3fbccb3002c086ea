using System.CommandLine;

namespace Hush.Cli;

/// <summary>Options shared by several commands, built once per command so each owns its instances.</summary>
internal static class CommonOptions
{
    public static Option<string> Output() => new("--output", "-o")
    {
        Description = "Output image (.png, .pgm, .ppm, .pnm); written atomically",
        Required = true,
    };

    public static Option<bool> Json() => new("--json") { Description = "Print one JSON object on stdout" };

    public static Option<bool> Quiet() => new("--quiet", "-q") { Description = "No progress or summary output" };

    public static Option<bool> Overwrite() => new("--overwrite") { Description = "Replace the output file if it exists" };

    public static Option<ulong?> Seed() => new("--seed") { Description = "Random seed (default: drawn at random and reported)" };

    public static Option<int?> BitDepth(string description) => new("--bit-depth")
    {
        Description = description,
        Validators = { r => { if (r.GetValueOrDefault<int?>() is int b && b != 8 && b != 16) r.AddError("--bit-depth must be 8 or 16"); } },
    };

    /// <summary>JPEG output quality; the other formats ignore it.</summary>
    public static Option<int?> Quality() => new("--quality")
    {
        Description = $"JPEG output quality, 1..100 (default {Hush.Imaging.PhotoEncoder.DefaultJpegQuality}); only .jpg/.jpeg outputs use it",
        Validators = { r => { if (r.GetValueOrDefault<int?>() is int q && q is < 1 or > 100) r.AddError($"--quality must be 1..100, got {q}"); } },
    };

    public static Option<string?> Axes() => new("--axes")
    {
        Description = "Axis letters of the input, one per axis, e.g. ZYX, YXC, TZCYX (NPY stores none; for TIFF this renames the decoded axes)",
        Validators = { r => { if (r.GetValueOrDefault<string?>() is string a && (a.Length < 2 || !a.All(char.IsAsciiLetter))) r.AddError($"--axes must be axis letters such as ZYX or YXC, got '{a}'"); } },
    };

    public static Argument<string> Input(string description) => new("INPUT") { Description = description };
}
