using System.Text.Json;
using System.Text.Json.Serialization;
using Hush.Cli.Commands;
using Hush.Cli.Quality;

namespace Hush.Cli;

/// <summary>Source-generated JSON for the --json outputs (camelCase keys, one object per line).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(DenoiseReport))]
[JsonSerializable(typeof(Batch.BatchSummary))]
[JsonSerializable(typeof(InfoReport))]
[JsonSerializable(typeof(ConvertReport))]
[JsonSerializable(typeof(NoiseReport))]
[JsonSerializable(typeof(MetricsReport))]
[JsonSerializable(typeof(SpeedReport))]
[JsonSerializable(typeof(QualityReport))]
[JsonSerializable(typeof(QualityRun))]
internal sealed partial class CliJson : JsonSerializerContext
{
    /// <summary>Indented, for files people read (bench quality's results.json and run files).</summary>
    public static CliJson Indented { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
    });
}
