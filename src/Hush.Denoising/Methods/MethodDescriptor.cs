namespace Hush.Denoising.Methods;

/// <summary>Everything the rest of Hush knows about a method: its name and what it is for, its defaults, what it can
/// do, its settings and how to run it short. One per method folder; <see cref="MethodRegistry"/> lists them. The CLI's
/// flags and help, <c>bench quality --sweep</c>, the README's method table and the contract tests are all driven from
/// here, so a new method touches nothing outside its folder but one registry line.</summary>
public sealed record MethodDescriptor
{
    /// <summary>The name users type (<c>--method</c>), e.g. <c>zs-n2n</c>.</summary>
    public required string Name { get; init; }

    /// <summary>One line: what the method does.</summary>
    public required string Summary { get; init; }

    /// <summary>One line: where it is the one to use, from the measured tables.</summary>
    public required string GoodFor { get; init; }

    /// <summary>The paper it implements, for the method table.</summary>
    public required string Paper { get; init; }

    /// <summary>The page in docs/methods that describes it as Hush implements it.</summary>
    public string Documentation => $"docs/methods/{Name}.md";

    /// <summary>Training iterations when <see cref="DenoiseOptions.Iterations"/> is not given (1 for a method that trains nothing).</summary>
    public required int DefaultIterations { get; init; }

    /// <summary>The Adam learning rate at the first step, unless <see cref="DenoiseOptions.LearningRate"/> is set.</summary>
    public required float DefaultLearningRate { get; init; }

    /// <summary>What the method can do (see <see cref="MethodCapabilities"/>).</summary>
    public MethodCapabilities Capabilities { get; init; }

    /// <summary>Why the method makes no reusable model (one clause, for the refusal of <c>--save-model</c>); null for
    /// methods with <see cref="MethodCapabilities.ReusableModel"/>.</summary>
    public string? NoReusableModel { get; init; }

    /// <summary>The method's settings when <see cref="DenoiseOptions.MethodOptions"/> is null.</summary>
    public required MethodOptions DefaultOptions { get; init; }

    /// <summary>The settings the method owns (flags and sweep names).</summary>
    public IReadOnlyList<MethodParameter> Parameters { get; init; } = [];

    /// <summary>Settings (by parameter name, common ones included) that make a run short enough for tests while keeping
    /// the method's defaults otherwise, e.g. fewer ensemble passes. Empty: the method runs at its defaults.</summary>
    public IReadOnlyDictionary<string, string> ShortRun { get; init; } = new Dictionary<string, string>();

    /// <summary>Settings for the smallest run in which every parameter's <see cref="MethodParameter.Probe"/> can show
    /// (a handful of steps; used by the contract tests).</summary>
    public required IReadOnlyDictionary<string, string> ProbeRun { get; init; }

    internal Func<IDenoisingMethod> Create { get; init; } = () => throw new InvalidOperationException("a descriptor without a method");

    /// <summary>True when the method declares <paramref name="capability"/>.</summary>
    public bool Can(MethodCapabilities capability) => (Capabilities & capability) == capability;
}
