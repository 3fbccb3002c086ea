namespace Hush.Denoising.Methods;

/// <summary>One setting a method offers, declared once in the method's folder and used everywhere a setting is named:
/// the <c>hush denoise</c> flag (<see cref="Flag"/>), <c>bench quality --sweep NAME=…</c> and its run keys and labels
/// (<see cref="Name"/>), and the contract tests (<see cref="Probe"/>, <see cref="Invalid"/>). Values travel as
/// invariant-culture text, so the CLI, the sweep and a results file all read and write the same strings.</summary>
public sealed record MethodParameter
{
    /// <summary>Canonical name in sweeps, run keys and option labels, e.g. <c>omega</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Other names <c>--sweep</c> accepts.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>The <c>hush denoise</c> flag, e.g. <c>--omega</c>; null when the setting is a sweep name only.</summary>
    public string? Flag { get; init; }

    /// <summary>Non-null for a flag that takes no value (<c>--no-standout</c>): giving it sets this value.</summary>
    public string? SwitchValue { get; init; }

    /// <summary>What the setting does and its default, for help texts.</summary>
    public required string Description { get; init; }

    /// <summary>The kind of value: <c>number</c>, <c>integer</c>, <c>on|off</c>, the enum's names, <c>FILE</c>.</summary>
    public required string ValueHint { get; init; }

    /// <summary>The method that owns the setting; null for the settings every method has (iterations, lr, seed).</summary>
    public string? Method { get; init; }

    /// <summary>False keeps the setting out of the options label of a results table (the seed has a column of its own).</summary>
    public bool InOptionsLabel { get; init; } = true;

    /// <summary>A valid value other than the default that must change the output of the method's contract run.</summary>
    public string? Probe { get; init; }

    /// <summary>Other settings without which <see cref="Probe"/> could not show (e.g. a loss weight needs its term on).</summary>
    public IReadOnlyDictionary<string, string> ProbeWith { get; init; } = new Dictionary<string, string>();

    /// <summary>A value that parses but that validation must reject; null when every parsable value is valid.</summary>
    public string? Invalid { get; init; }

    internal Func<DenoiseOptions, string, DenoiseOptions> Parse { get; init; } = (o, _) => o;

    internal Func<DenoiseOptions, string> Read { get; init; } = _ => "";

    /// <summary>True when the setting means something to <paramref name="options"/>' method.</summary>
    public bool AppliesTo(DenoiseOptions options) => Method is null || Method == options.Method;

    /// <summary><paramref name="options"/> with this setting set to <paramref name="value"/> (not yet validated).</summary>
    /// <exception cref="FormatException">The text is not a value of this setting's kind.</exception>
    public DenoiseOptions Apply(DenoiseOptions options, string value)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(value);
        if (!AppliesTo(options)) throw new ArgumentException($"{Name} is a setting of {Method}, not {options.Method}");
        try
        {
            return Parse(options, value.Trim());
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new FormatException($"'{value}' is not a valid {Name} ({ValueHint})", e);
        }
    }

    /// <summary>The setting's value in <paramref name="options"/>, as canonical text.</summary>
    public string ValueIn(DenoiseOptions options) => Read(options);
}
