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
        // blind2grad and the Self2Self family have their own constant Adam rates: "lr" sets the one the method uses.
        new("lr", ["learning-rate"], (o, v) => o.WithLearningRate(Float(v)), o => Text(o.EffectiveLearningRate)),
        new("lr-step", ["learning-rate-step"], (o, v) => o with { LearningRateStep = Int(v) }, o => Text(o.LearningRateStep)),
        new("lr-gamma", ["learning-rate-gamma"], (o, v) => o with { LearningRateGamma = Float(v) }, o => Text(o.LearningRateGamma)),
        new("seed", [], (o, v) => o with { Seed = ULong(v) }, o => Text(o.Seed ?? 0), InOptions: false),
        // LoTA-N2N's stage 2
        new("lambda", ["trace-weight"], (o, v) => o with { Lota = o.Lota with { TraceWeight = Float(v) } }, o => Text(o.Lota.TraceWeight), Method: "lota-n2n"),
        new("trace-patch", ["patch"], (o, v) => o with { Lota = o.Lota with { PatchSize = Int(v) } }, o => Text(o.Lota.PatchSize), Method: "lota-n2n"),
        new("fine-tune", ["fine-tune-iterations"], (o, v) => o with { Lota = o.Lota with { FineTuneIterations = Int(v) } }, o => Text(o.Lota.FineTuneIterations), Method: "lota-n2n"),
        new("fine-tune-lr", [], (o, v) => o with { Lota = o.Lota with { FineTuneLearningRate = Float(v) } }, o => Text(o.Lota.FineTuneLearningRate), Method: "lota-n2n"),
        // Blind2Grad (Blind2GradOptions); "ablation" sets the three switches at once (see Blind2GradAblation)
        B2G("ablation", (b, v) => Blind2GradAblation.Apply(b, v), Blind2GradAblation.Name),
        B2G("dual-mask", (b, v) => b with { DualMask = OnOff(v) }, b => OnOff(b.DualMask)),
        B2G("omega", (b, v) => b with { Omega = Float(v) }, b => Text(b.Omega)),
        B2G("gamma", (b, v) => b with { Gamma = Float(v) }, b => Text(b.Gamma)),
        B2G("standout", (b, v) => b with { Standout = OnOff(v) }, b => OnOff(b.Standout)),
        B2G("mask-rate", (b, v) => b with { MaskRate = Float(v) }, b => Text(b.MaskRate)),
        B2G("detail-threshold", (b, v) => b with { DetailThreshold = Float(v) }, b => Text(b.DetailThreshold)),
        B2G("detail-mask-ratio", (b, v) => b with { DetailMaskRatio = Float(v) }, b => Text(b.DetailMaskRatio)),
        B2G("cycle-length", (b, v) => b with { CycleLength = Int(v) }, b => Text(b.CycleLength)),
        B2G("standout-threshold", (b, v) => b with { StandoutThreshold = Float(v) }, b => Text(b.StandoutThreshold)),
        B2G("standout-scale", (b, v) => b with { StandoutScale = Enum<Hush.Engine.Fused.StandoutScale>(v) }, b => b.StandoutScale.ToString()),
        B2G("standout-placement", (b, v) => b with { StandoutPlacement = Enum<Blind2GradStandoutPlacement>(v) }, b => b.StandoutPlacement.ToString()),
        B2G("dropout", (b, v) => b with { DropoutRate = Float(v) }, b => Text(b.DropoutRate)),
        B2G("gradient-layer", (b, v) => b with { GradientLayer = Enum<Blind2GradGradientLayer>(v) }, b => b.GradientLayer.ToString()),
        B2G("gradient-operator", (b, v) => b with { GradientOperator = Enum<Blind2GradGradient>(v) }, b => b.GradientOperator.ToString()),
        B2G("detach", (b, v) => b with { DetachUnmaskedPrediction = OnOff(v) }, b => OnOff(b.DetachUnmaskedPrediction)),
        B2G("passes", (b, v) => b with { Passes = Int(v) }, b => Text(b.Passes)),
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

    private static SweepParameter B2G(string name, Func<Blind2GradOptions, string, Blind2GradOptions> apply, Func<Blind2GradOptions, string> format) =>
        new(name, [], (o, v) => o with { Blind2Grad = apply(o.Blind2Grad, v) }, o => format(o.Blind2Grad), Method: "blind2grad");

    private static bool OnOff(string v) => v.ToLowerInvariant() switch
    {
        "on" or "true" or "1" => true,
        "off" or "false" or "0" => false,
        _ => throw new FormatException(),
    };

    private static string OnOff(bool v) => v ? "on" : "off";

    private static T Enum<T>(string v) where T : struct, Enum =>
        System.Enum.TryParse(v, ignoreCase: true, out T e) && System.Enum.IsDefined(e) && !int.TryParse(v, out _) ? e : throw new FormatException();

    private static int Int(string v) => int.Parse(v, NumberStyles.Integer, CultureInfo.InvariantCulture);

    private static ulong ULong(string v) => ulong.Parse(v, NumberStyles.Integer, CultureInfo.InvariantCulture);

    private static float Float(string v) => float.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static string Text<T>(T value) where T : IFormattable => value.ToString(null, CultureInfo.InvariantCulture);
}
