using System.CommandLine;
using System.Globalization;
using Hush.Denoising;
using Hush.Denoising.Methods;

namespace Hush.Cli.Commands;

/// <summary>The flags of <c>hush denoise</c> that make its <see cref="DenoiseOptions"/>: method, iterations, learning
/// rate, seed, threads, checkpoints, every method's own flags (<see cref="MethodFlags"/>) and the stack flags. Reading
/// them is separate from running, so tests can check what a command line turns into.</summary>
internal sealed class DenoiseFlags
{
    private readonly Option<string> _method = new("--method", "-m")
    {
        Description = $"Method: {AutoMethod} (the default: measures each image's noise and runs the method and setting measured " +
                      "best for that kind, as 'hush info --noise' recommends: BM3D in seconds, or Self2Self+ on phone-camera noise " +
                      $"when --time-budget holds it), or one of {string.Join(", ", MethodRegistry.Names)} ('hush methods' describes each)",
        DefaultValueFactory = _ => AutoMethod,
        HelpName = "METHOD", // the description lists them; the choices as the name would widen every row of the help
    };

    /// <summary>The --method value that lets the noise report choose (<see cref="Hush.Denoising.Auto.ChoiceTable"/>), and
    /// the default: the library has no method of this name, so only the CLI has it.</summary>
    public const string AutoMethod = "auto";

    private readonly Option<int?> _iterations = new("--iterations", "-n")
    {
        Description = $"Training iterations (default per method: {PerMethod(d => d.DefaultIterations.ToString(CultureInfo.InvariantCulture))})",
        Validators = { r => { if (r.GetValueOrDefault<int?>() is < 1) r.AddError("--iterations must be ≥ 1"); } },
    };

    private readonly Option<float?> _learningRate = new("--lr")
    {
        Description = $"Adam learning rate at the first step (default per method: {PerMethod(d => d.DefaultLearningRate.ToString(CultureInfo.InvariantCulture))}; " +
                      "zs-n2n and lota-n2n halve it every --lr-step iterations, the others keep it constant)",
        Validators = { r => { if (r.GetValueOrDefault<float?>() is float v && !(v > 0f && float.IsFinite(v))) r.AddError("--lr must be a finite number > 0"); } },
    };

    private readonly Option<ulong?> _seed = CommonOptions.Seed();

    private readonly Option<int> _threads = new("--threads", "-t")
    {
        Description = "Worker threads (default: all cores)",
        Validators = { r => { if (r.GetValueOrDefault<int>() < 0) r.AddError("--threads must be ≥ 0"); } },
    };

    private readonly Option<int> _checkpointEvery = new("--checkpoint-every")
    {
        Description = "Every N training iterations, write an interim result beside the output (OUT.ckpt.EXT, e.g. clean.ckpt.png; " +
                      "same --overwrite rule as the output; deleted once the output is written, kept if the run stops). " +
                      "Methods that average passes average --checkpoint-passes for it. Methods that train also keep their training " +
                      "state in OUT.ckpt.hush: after Ctrl+C the same command resumes to the same bits. Single inputs only. Default 0: off",
        Validators = { r => { if (r.GetValueOrDefault<int>() < 0) r.AddError("--checkpoint-every must be ≥ 0"); } },
    };

    private readonly Option<int> _checkpointPasses = new("--checkpoint-passes")
    {
        Description = "Methods that average stochastic passes: passes averaged for each interim result (default 10)",
        DefaultValueFactory = _ => 10,
        Validators = { r => { if (r.GetValueOrDefault<int>() < 1) r.AddError("--checkpoint-passes must be ≥ 1"); } },
    };

    private readonly Option<string?> _timeBudget = new("--time-budget")
    {
        HelpName = "DURATION",
        Description = "Stop training when the next step and the prediction would not fit in DURATION (e.g. 60s, 5m, 1h30m; " +
                      "per file, shared among a stack's planes), keeping the model as it stands; ensembles average the passes " +
                      "that fit. At least one step and one pass always run. Default: no limit",
        Validators = { r => { if (r.GetValueOrDefault<string?>() is string t && !Duration.TryParse(t, out _)) r.AddError($"--time-budget: '{t}' is not a duration (e.g. 90s, 5m, 1h30m)"); } },
    };

    private readonly Option<bool> _earlyStop = new("--early-stop")
    {
        Description = "Stop training when the loss on held-out pixels (a tenth of the image, never a training target) has not " +
                      "improved for 500 steps, and end with the weights that scored best; --iterations becomes an upper bound. Methods: " +
                      string.Join(", ", MethodRegistry.All.Where(d => d.Can(MethodCapabilities.StoppingRule)).Select(d => d.Name)),
    };

    private readonly Option<string> _decorrelate = new("--decorrelate")
    {
        Description = "Spatially correlated noise (camera photos): denoise the pixel-shuffled sub-images at stride N, whose neighbours " +
                      "are N pixels apart, and put them back together. 'auto' measures the noise and uses the stride it needs " +
                      "(1 unless it is correlated; 'hush info --noise' shows it); 'off' (the default) or 1 denoises the image whole",
        DefaultValueFactory = _ => "off",
        Validators =
        {
            r =>
            {
                if (ParseStride(r.GetValueOrDefault<string>()) is null) r.AddError("--decorrelate must be auto, off or a stride from 1 to 8");
            },
        },
    };

    private readonly Option<string> _stabilize = new("--stabilize")
    {
        Description = "Signal-dependent noise (micrographs, low light): denoise after the generalized Anscombe transform with the " +
                      "estimated Poisson–Gaussian model and map back by its exact unbiased inverse. 'auto' does so when the noise " +
                      "is measured to be Poisson–Gaussian; 'anscombe' always; 'off' (the default) never",
        DefaultValueFactory = _ => "off",
    };

    private readonly MethodFlags _methodFlags = new();

    /// <summary>--save-model FILE: where the trained network goes (methods with a reusable model; single inputs).</summary>
    public Option<string?> SaveModel { get; } = new("--save-model")
    {
        HelpName = "FILE",
        Description = "Also write the trained network to FILE (a versioned Hush model file; apply it to other images with " +
                      "'hush apply'). Methods with a reusable network only (" +
                      string.Join(", ", MethodRegistry.All.Where(d => d.Can(MethodCapabilities.ReusableModel)).Select(d => d.Name)) +
                      "); single inputs; same --overwrite rule as the output",
    };

    public DenoiseFlags()
    {
        _method.AcceptOnlyFromAmong([AutoMethod, .. MethodRegistry.Names]);
        _stabilize.AcceptOnlyFromAmong("off", "auto", "anscombe");
    }

    public StackCliOptions Stacks { get; } = new();

    /// <summary>The help section of a method flag (<see cref="MethodFlags.SectionOf"/>); null for the others.</summary>
    public string? MethodSectionOf(Option option) => _methodFlags.SectionOf(option);

    public void AddTo(Command command)
    {
        foreach (Option o in new Option[] { _method, _iterations, _learningRate, _seed, _threads, _checkpointEvery, _checkpointPasses, _timeBudget, _earlyStop, _decorrelate, _stabilize, SaveModel })
            command.Options.Add(o);
        _methodFlags.AddTo(command);
        Stacks.AddTo(command);
    }

    /// <summary>The options the command line asks for (not yet validated as a whole: <see cref="Denoiser"/> does that).</summary>
    /// <exception cref="UsageException">A flag of another method, or a value that is not of its setting's kind.</exception>
    public DenoiseOptions Read(ParseResult parse)
    {
        var options = new DenoiseOptions
        {
            Method = parse.GetValue(_method)!,
            Seed = parse.GetValue(_seed),
            Threads = parse.GetValue(_threads),
            LearningRate = parse.GetValue(_learningRate),
            CheckpointEvery = parse.GetValue(_checkpointEvery),
            CheckpointPasses = parse.GetValue(_checkpointPasses),
            EarlyStop = parse.GetValue(_earlyStop),
            DecorrelationStride = ParseStride(parse.GetValue(_decorrelate)) ?? 1,
            VarianceStabilization = parse.GetValue(_stabilize) switch
            {
                "auto" => VarianceStabilization.Auto,
                "anscombe" => VarianceStabilization.Anscombe,
                _ => VarianceStabilization.Off,
            },
        };
        if (parse.GetValue(_iterations) is int n) options = options with { Iterations = n };
        if (parse.GetValue(_timeBudget) is string budget && Duration.TryParse(budget, out var limit)) options = options with { TimeBudget = limit };
        options = Stacks.Apply(parse, options);
        if (options.Method == AutoMethod) CheckAuto(parse, options);
        return _methodFlags.Apply(parse, options);
    }

    /// <summary>With auto the choice sets the method, its settings and the real-noise flags, so flags that would set them
    /// too are refused rather than silently overruled. After an explicit --method auto the message says so; auto as the
    /// default (no --method) names a method that takes the flag, since such a command meant zs-n2n before auto became
    /// the default and now needs its method named (switching to one silently would run a method the user never saw).</summary>
    private void CheckAuto(ParseResult parse, DenoiseOptions options)
    {
        bool named = parse.GetResult(_method) is { Implicit: false };
        const string AutoChooses = "the default, auto, chooses its own method and settings";
        if (AutoClash(parse, options) is { } clash)
            throw new UsageException(named
                ? $"{clash.Flag} does not go with --method auto, which chooses the method and its settings per image; name a method to set it"
                : $"{clash.Flag} needs {clash.Needs}: add -m {clash.Methods[0]} ({(clash.Methods.Count > 1 ? "or another; " : "")}{AutoChooses})");
        // After an explicit --method auto, MethodFlags.Apply refuses a method flag ("--sigma is a setting of bm3d, not auto").
        if (!named && _methodFlags.FirstGiven(parse) is { } given)
            throw new UsageException($"{given.Flag} is a setting of {given.Owners}: add -m {given.Methods[0]} " +
                                     $"({(given.Methods.Count > 1 ? "or another of them; " : "")}{AutoChooses})");
    }

    /// <summary>The first flag given that sets what auto chooses, what kind of method it needs, and the methods of that
    /// kind (the one to suggest first); null when there is none.</summary>
    private (string Flag, string Needs, IReadOnlyList<string> Methods)? AutoClash(ParseResult parse, DenoiseOptions options)
    {
        const string Trained = "a trained method";
        if (parse.GetValue(_iterations) is not null) return ("--iterations", Trained, Without(MethodCapabilities.Classical));
        if (options.LearningRate is not null) return ("--lr", Trained, Without(MethodCapabilities.Classical));
        // Any method takes the real-noise flags; the classical one, which auto runs on real noise, comes first.
        var realNoise = MethodRegistry.All.OrderBy(d => !d.Can(MethodCapabilities.Classical)).Select(d => d.Name).ToList();
        if (options.DecorrelationStride != 1) return ("--decorrelate", "a named method", realNoise);
        if (options.VarianceStabilization != VarianceStabilization.Off) return ("--stabilize", "a named method", realNoise);
        if (options.CheckpointEvery > 0) return ("--checkpoint-every", Trained, Without(MethodCapabilities.Classical));
        if (parse.GetValue(SaveModel) is not null) return ("--save-model", "a method with a reusable network", With(MethodCapabilities.ReusableModel));
        if (options.EarlyStop) return ("--early-stop", "a method with a stopping rule", With(MethodCapabilities.StoppingRule));
        if (options.TrainPlanes > 0) return ("--train-planes", "a method that shares one model between planes", With(MethodCapabilities.SharedModel));
        return null;
    }

    private static List<string> With(MethodCapabilities capability) =>
        MethodRegistry.All.Where(d => d.Can(capability)).Select(d => d.Name).ToList();

    private static List<string> Without(MethodCapabilities capability) =>
        MethodRegistry.All.Where(d => !d.Can(capability)).Select(d => d.Name).ToList();

    /// <summary>auto → 0, off → 1, "1"…"8" → the stride; null for anything else.</summary>
    internal static int? ParseStride(string? value) => value switch
    {
        "auto" => 0,
        "off" or null => 1,
        _ => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int s) && s is >= 1 and <= 8 ? s : null,
    };

    /// <summary>"zs-n2n 3000, lota-n2n 4000, ...": a default of every method, for help texts.</summary>
    private static string PerMethod(Func<MethodDescriptor, string> value) =>
        string.Join(", ", MethodRegistry.All.Select(d => $"{d.Name} {value(d)}"));
}
