using System.Globalization;
using Hush.Denoising;

namespace Hush.Cli.Quality;

/// <summary>One <see cref="DenoiseOptions"/> setting that <c>--sweep NAME=v1,v2</c> can vary and the results
/// table names. <see cref="Format"/> gives the canonical text of the value (invariant culture), used in the
/// options column and the run key. <see cref="InOptions"/> false keeps it out of the options column (the seed
/// has a column of its own, and a seed sweep should average in the summary). <see cref="Method"/>, when set, is
/// the only method the setting means anything to: other methods are neither multiplied by its sweep nor keyed
/// or labelled by it (a λ sweep over zs-n2n,lota-n2n runs ZS-N2N once, not once per λ).</summary>
internal sealed record SweepParameter(string Name, string[] Aliases,
    Func<DenoiseOptions, string, DenoiseOptions> Apply, Func<DenoiseOptions, string> Format, bool InOptions = true,
    string? Method = null)
{
    public bool AppliesTo(DenoiseOptions o) => Method is null || Method == o.Method;
}

/// <summary>The settings a benchmark can sweep. A new method option (say LoTA-N2N's <c>lambda</c>) becomes
/// sweepable, and shows in the tables, by adding one line here.</summary>
internal static class SweepParameters
{
    public static readonly IReadOnlyList<SweepParameter> All =
    [
        new("iterations", ["iters"], (o, v) => o with { Iterations = Int(v) }, o => Text(o.Iterations)),
        new("lr", ["learning-rate"], (o, v) => o with { LearningRate = Float(v) }, o => Text(o.LearningRate)),
        new("lr-step", ["learning-rate-step"], (o, v) => o with { LearningRateStep = Int(v) }, o => Text(o.LearningRateStep)),
        new("lr-gamma", ["learning-rate-gamma"], (o, v) => o with { LearningRateGamma = Float(v) }, o => Text(o.LearningRateGamma)),
        new("seed", [], (o, v) => o with { Seed = ULong(v) }, o => Text(o.Seed ?? 0), InOptions: false),
        // LoTA-N2N's stage 2
        new("lambda", ["trace-weight"], (o, v) => o with { Lota = o.Lota with { TraceWeight = Float(v) } }, o => Text(o.Lota.TraceWeight), Method: "lota-n2n"),
        new("trace-patch", ["patch"], (o, v) => o with { Lota = o.Lota with { PatchSize = Int(v) } }, o => Text(o.Lota.PatchSize), Method: "lota-n2n"),
        new("fine-tune", ["fine-tune-iterations"], (o, v) => o with { Lota = o.Lota with { FineTuneIterations = Int(v) } }, o => Text(o.Lota.FineTuneIterations), Method: "lota-n2n"),
        new("fine-tune-lr", [], (o, v) => o with { Lota = o.Lota with { FineTuneLearningRate = Float(v) } }, o => Text(o.Lota.FineTuneLearningRate), Method: "lota-n2n"),
    ];

    public static SweepParameter Find(string name) =>
        All.FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)
                                || p.Aliases.Contains(name, StringComparer.OrdinalIgnoreCase))
        ?? throw new UsageException($"--sweep: unknown setting '{name}' (known: {string.Join(", ", All.Select(p => p.Name))})");

    /// <summary>Every setting's value, by canonical name: the complete description of a run's options.</summary>
    public static Dictionary<string, string> Settings(DenoiseOptions o) =>
        All.Where(p => p.AppliesTo(o)).ToDictionary(p => p.Name, p => p.Format(o));

    /// <summary>"iterations=500 lr=0.0005": the settings that differ from the defaults, in table order; empty
    /// when all are defaults.</summary>
    public static string Label(DenoiseOptions o)
    {
        var defaults = new DenoiseOptions { Method = o.Method };
        return string.Join(" ", All.Where(p => p.InOptions && p.AppliesTo(o) && p.Format(o) != p.Format(defaults)).Select(p => $"{p.Name}={p.Format(o)}"));
    }

    /// <summary>Expands the base options by every <c>NAME=v1,v2,...</c> (the Cartesian product, in the order
    /// given) and checks each combination; unknown names and bad values are usage errors.</summary>
    public static List<DenoiseOptions> Expand(DenoiseOptions baseOptions, IEnumerable<string> sweeps)
    {
        var result = new List<DenoiseOptions> { baseOptions };
        var seen = new HashSet<string>();
        foreach (string sweep in sweeps)
        {
            int eq = sweep.IndexOf('=');
            if (eq <= 0) throw new UsageException($"--sweep: '{sweep}' is not NAME=v1,v2,...");
            var parameter = Find(sweep[..eq].Trim());
            if (!seen.Add(parameter.Name)) throw new UsageException($"--sweep: '{parameter.Name}' is swept twice");
            var values = sweep[(eq + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (values.Length == 0) throw new UsageException($"--sweep: no values for '{parameter.Name}'");
            result = result.SelectMany(o => parameter.AppliesTo(o) ? values.Select(v => Apply(parameter, o, v)) : [o]).ToList();
        }
        return result;
    }

    private static DenoiseOptions Apply(SweepParameter parameter, DenoiseOptions options, string value)
    {
        DenoiseOptions changed;
        try
        {
            changed = parameter.Apply(options, value);
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new UsageException($"--sweep {parameter.Name}: '{value}' is not a valid value");
        }
        try
        {
            _ = new Denoiser(changed); // validates
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--sweep {parameter.Name}={value}: {e.Message}");
        }
        return changed;
    }

    private static int Int(string v) => int.Parse(v, NumberStyles.Integer, CultureInfo.InvariantCulture);

    private static ulong ULong(string v) => ulong.Parse(v, NumberStyles.Integer, CultureInfo.InvariantCulture);

    private static float Float(string v) => float.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static string Text<T>(T value) where T : IFormattable => value.ToString(null, CultureInfo.InvariantCulture);
}
