using Hush.Denoising;
using Hush.Denoising.Methods;

namespace Hush.Cli.Quality;

/// <summary>The settings <c>bench quality --sweep NAME=v1,v2</c> can vary and the results tables name: every
/// <see cref="MethodParameter"/> of the registry (common ones, then each method's). A method's own setting multiplies
/// only that method's runs, and only that method's runs are keyed and labelled by it (a λ sweep over zs-n2n,lota-n2n
/// runs ZS-N2N once, not once per λ). A new method's settings are sweepable with no change here.</summary>
internal static class SweepParameters
{
    public static IReadOnlyList<MethodParameter> All => MethodRegistry.Parameters;

    /// <summary>Distinct names, for help texts (methods share names like passes).</summary>
    public static IEnumerable<string> Names => All.Select(p => p.Name).Distinct();

    /// <summary>The parameters named <paramref name="name"/> (or by an alias): one per method that has the setting.</summary>
    public static List<MethodParameter> Find(string name)
    {
        var found = All.Where(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)
                                   || p.Aliases.Contains(name, StringComparer.OrdinalIgnoreCase)).ToList();
        return found.Count > 0 ? found
            : throw new UsageException($"--sweep: unknown setting '{name}' (known: {string.Join(", ", Names)})");
    }

    /// <summary>Every setting's value, by canonical name: the complete description of a run's options.</summary>
    public static Dictionary<string, string> Settings(DenoiseOptions o) =>
        MethodRegistry.ParametersOf(o).ToDictionary(p => p.Name, p => p.ValueIn(o));

    /// <summary>"iterations=500 lr=0.0005": the settings that differ from the method's defaults, in table order; empty
    /// when all are defaults.</summary>
    public static string Label(DenoiseOptions o)
    {
        var defaults = new DenoiseOptions { Method = o.Method };
        return string.Join(" ", MethodRegistry.ParametersOf(o).Where(p => p.InOptionsLabel && p.ValueIn(o) != p.ValueIn(defaults))
            .Select(p => $"{p.Name}={p.ValueIn(o)}"));
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
            var parameters = Find(sweep[..eq].Trim());
            string name = parameters[0].Name;
            if (!seen.Add(name)) throw new UsageException($"--sweep: '{name}' is swept twice");
            var values = sweep[(eq + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (values.Length == 0) throw new UsageException($"--sweep: no values for '{name}'");
            result = result.SelectMany(o => parameters.FirstOrDefault(p => p.AppliesTo(o)) is { } p
                ? values.Select(v => Apply(p, o, v))
                : [o]).ToList();
        }
        return result;
    }

    private static DenoiseOptions Apply(MethodParameter parameter, DenoiseOptions options, string value)
    {
        DenoiseOptions changed;
        try
        {
            changed = parameter.Apply(options, value);
        }
        catch (FormatException)
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
}
