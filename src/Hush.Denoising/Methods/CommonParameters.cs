namespace Hush.Denoising.Methods;

/// <summary>The settings every method has, as sweep names (the CLI has typed flags of its own for them).</summary>
internal static class CommonParameters
{
    public static readonly IReadOnlyList<MethodParameter> All =
    [
        Common("iterations", ["iters"], "integer", "training iterations", (o, v) => o with { Iterations = Values.Int(v) }, o => Values.Text(o.Iterations)),
        Common("lr", ["learning-rate"], "number", "the method's Adam learning rate at the first step",
            (o, v) => o with { LearningRate = Values.Float(v) }, o => Values.Text(o.EffectiveLearningRate)),
        Common("early-stop", [], "on|off", "stop when the loss on held-out pixels stops improving, with the best weights (methods with a stopping rule)",
            (o, v) => o with { EarlyStop = Values.OnOff(v) }, o => Values.OnOff(o.EarlyStop)),
        Common("seed", [], "integer", "seed of the weights and of every random draw",
            (o, v) => o with { Seed = Values.ULong(v) }, o => Values.Text(o.Seed ?? 0)) with { InOptionsLabel = false },
    ];

    private static MethodParameter Common(string name, string[] aliases, string hint, string description,
        Func<DenoiseOptions, string, DenoiseOptions> parse, Func<DenoiseOptions, string> read) => new()
    {
        Name = name, Aliases = aliases, ValueHint = hint, Description = description, Parse = parse, Read = read,
    };
}
