using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Hush.Denoising;
using Hush.Denoising.Models;

namespace Hush.Cli.Quality;

/// <summary>The result of one run (one method and settings on one pair), as stored in <c>runs/KEY.json</c>:
/// full precision, and everything needed to repeat it. KeptIteration: the step whose weights a run with the stopping rule
/// ended with (Iterations is then the steps taken); null without the rule.</summary>
[JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)]
internal sealed record QualityRun(
    int SchemaVersion, string Key, string Method, string Options, Dictionary<string, string> Settings,
    string Image, string Noise, string Source, string Seed, int Threads, int Iterations, double Seconds, float FinalLoss,
    int Width, int Height, int Channels, double NoisyPsnr, double NoisySsim, double Psnr, double Ssim,
    double? RefPsnr, double? RefSsim, string? Output, int? KeptIteration = null);

/// <summary>One planned run: its key (and so its result file) is fixed by the method, every setting, the
/// seed and the input (image, noise, crop, noise seed), never by the thread count.</summary>
internal sealed record PlannedRun(string Key, DenoiseOptions Options, QualityPair Pair)
{
    public static PlannedRun Create(DenoiseOptions options, QualityPair pair)
    {
        var settings = SweepParameters.Settings(options);
        string identity = $"{options.Method}|{string.Join(";", settings.Select(kv => $"{kv.Key}={kv.Value}"))}|{pair.Image}|{pair.Noise}|{pair.Source}";
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..10];
        string readable = $"{options.Method}_{SweepParameters.Label(options)}_{pair.Image}_{pair.Noise}_seed{options.Seed ?? 0}";
        return new PlannedRun($"{Sanitize(readable)}_{hash}", options, pair);
    }

    public string Label => SweepParameters.Label(Options);

    private static string Sanitize(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            char d = char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '=' ? c : '_';
            if (d != '_' || sb.Length == 0 || sb[^1] != '_') sb.Append(d);
        }
        return sb.ToString().Trim('_');
    }
}

/// <summary>The <c>runs/</c> folder of a benchmark: one JSON file per finished run, written atomically
/// (temporary file, then rename), so an interrupted benchmark resumes where it stopped.</summary>
internal sealed class RunStore(string folder)
{
    public string Folder { get; } = folder;

    public string PathOf(string key) => Path.Combine(Folder, key + ".json");

    public bool Has(string key) => File.Exists(PathOf(key));

    public void Save(QualityRun run) =>
        AtomicText.Write(PathOf(run.Key), JsonSerializer.Serialize(run, CliJson.Indented.QualityRun) + "\n");

    /// <summary>Every run file in the folder, whichever command line made it; unreadable ones are reported
    /// on <paramref name="warnings"/> and skipped.</summary>
    public List<QualityRun> LoadAll(TextWriter warnings)
    {
        var runs = new List<QualityRun>();
        if (!Directory.Exists(Folder)) return runs;
        foreach (string file in Directory.EnumerateFiles(Folder, "*.json").Order(StringComparer.Ordinal))
        {
            try
            {
                var run = JsonSerializer.Deserialize(File.ReadAllText(file), CliJson.Indented.QualityRun);
                if (run is null || run.SchemaVersion != 1) throw new JsonException("not a version 1 run record");
                runs.Add(run with { Key = Path.GetFileNameWithoutExtension(file) });
            }
            catch (Exception e) when (e is JsonException or IOException)
            {
                warnings.WriteLine($"hush: ignoring {file}: {e.Message.ReplaceLineEndings(" ")}");
            }
        }
        return runs;
    }
}

/// <summary>Writes a text file (UTF-8, no byte order mark) atomically with the library's <see cref="AtomicFile"/>: a
/// temporary file beside it, then a rename over it; a failure is a <see cref="CommandFailedException"/> naming the file.</summary>
internal static class AtomicText
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static void Write(string path, string text)
    {
        byte[] bytes = Utf8.GetBytes(text);
        try
        {
            AtomicFile.Write(path, stream => stream.Write(bytes));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException($"{path}: cannot write: {e.Message}", e);
        }
    }
}
