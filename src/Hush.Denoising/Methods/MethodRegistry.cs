namespace Hush.Denoising.Methods;

/// <summary>The methods Hush offers, in the order help texts and tables list them. A new method is one folder under
/// Methods/ and one line here.</summary>
public static class MethodRegistry
{
    /// <summary>Every method, in the order help and tables list them.</summary>
    public static IReadOnlyList<MethodDescriptor> All { get; } =
    [
        ZsN2N.ZsN2NDescriptor.Value,
        LotaN2N.LotaN2NDescriptor.Value,
        Self2SelfPlus.Self2SelfPlusDescriptor.Value,
        Self2Self.Self2SelfDescriptor.Value,
        Blind2Grad.Blind2GradDescriptor.Value,
        Bm3d.Bm3dDescriptor.Value,
        Noise2Fast.Noise2FastDescriptor.Value,
        Noise2Self.Noise2SelfDescriptor.Value,
        Dip.DipDescriptor.Value,
    ];

    /// <summary>The names <see cref="DenoiseOptions.Method"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(d => d.Name).ToArray();

    /// <summary>The descriptor named <paramref name="name"/>, or null.</summary>
    public static MethodDescriptor? TryFind(string? name) => All.FirstOrDefault(d => d.Name == name);

    /// <exception cref="ArgumentException">No method has that name.</exception>
    public static MethodDescriptor Find(string? name) =>
        TryFind(name) ?? throw new ArgumentException($"unknown method '{name}' (known: {string.Join(", ", Names)})");

    /// <summary>Every sweepable setting: the common ones, then each method's, in registry order.</summary>
    public static IReadOnlyList<MethodParameter> Parameters { get; } = [.. CommonParameters.All, .. All.SelectMany(d => d.Parameters)];

    /// <summary>The settings of <paramref name="options"/>' method, common ones first.</summary>
    public static IEnumerable<MethodParameter> ParametersOf(DenoiseOptions options) => Parameters.Where(p => p.AppliesTo(options));

    /// <summary><paramref name="options"/> with settings given by name (common or the method's), e.g. a descriptor's
    /// <see cref="MethodDescriptor.ShortRun"/>; not yet validated.</summary>
    /// <exception cref="ArgumentException">A name that is not a setting of the method.</exception>
    /// <exception cref="FormatException">A value that is not of its setting's kind.</exception>
    public static DenoiseOptions WithSettings(DenoiseOptions options, IReadOnlyDictionary<string, string> settings)
    {
        foreach (var (name, value) in settings)
        {
            var parameter = ParametersOf(options).FirstOrDefault(p => p.Name == name)
                ?? throw new ArgumentException($"{name} is not a setting of {options.Method}");
            options = parameter.Apply(options, value);
        }
        return options;
    }
}
