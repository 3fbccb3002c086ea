using System.Text.Json.Serialization;
using Hush.Cli.Commands;

namespace Hush.Cli;

/// <summary>Source-generated JSON for the --json outputs (camelCase keys, one object per line).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(DenoiseReport))]
[JsonSerializable(typeof(NoiseReport))]
[JsonSerializable(typeof(MetricsReport))]
[JsonSerializable(typeof(SpeedReport))]
internal sealed partial class CliJson : JsonSerializerContext;
