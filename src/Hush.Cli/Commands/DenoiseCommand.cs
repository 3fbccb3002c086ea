using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Hush.Cli.Batch;
using Hush.Denoising;

namespace Hush.Cli.Commands;

/// <summary><c>hush denoise INPUT... -o OUTPUT</c>: denoises each image (or stack plane) alone, with the method auto
/// chooses from its noise unless --method names one, and writes it; one file to a file, or a batch (several files,
/// folders, patterns) into a folder.</summary>
internal static class DenoiseCommand
{
    public static Command Create()
    {
        var inputs = new Argument<string[]>("INPUT")
        {
            Description = "Noisy image or stack (PNG, PGM/PPM, TIFF, NPY, JPEG, BMP, GIF, WebP); several files, folders or quoted patterns (\"data/*.tif\") make a batch",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<string>("--output", "-o")
        {
            Description = "Output file (.png, .pgm, .ppm, .pnm, .tif, .npy, .jpg, .bmp, .webp); for a batch, the output folder",
            Required = true,
        };
        var flags = new DenoiseFlags();
        var bitDepth = CommonOptions.BitDepth("Output bits per sample for single images (default: the input's sample type)");
        var quality = CommonOptions.Quality();
        var shard = new Option<string?>("--shard")
        {
            Description = "Batch share K/N (0-based K): files i with i mod N = K of the sorted list; default from SLURM_ARRAY_* or JOB_COMPLETION_INDEX + HUSH_SHARD_COUNT",
        };
        var overwrite = CommonOptions.Overwrite();
        var json = CommonOptions.Json();
        var quiet = CommonOptions.Quiet();
        var reportPage = new Option<string?>("--report")
        {
            Description = "Also write a self-contained HTML page about the run: before/after slider, zoomed crops, loss curve, noise, " +
                          "settings and timings (.html; single inputs only; same --overwrite rule as the output)",
            HelpName = "FILE",
        };

        var command = new Command("denoise", "Denoise images or stacks, each on its own: by default (-m auto) with the method and setting " +
                                             "measured best for its kind of noise, or with the method -m names") { inputs, output };
        flags.AddTo(command); // method, iterations, ... first in the help, then the method flags
        foreach (Option o in new Option[] { bitDepth, quality, reportPage, shard, overwrite, json, quiet }) command.Options.Add(o);
        SectionedHelp.Group(command, o => HelpSections.GetValueOrDefault(o.Name) ?? flags.MethodSectionOf(o), SectionOrder);
        command.SetAction((parse, cancel) => Task.FromResult(CommandRunner.Run(() =>
        {
            string[] inPaths = parse.GetValue(inputs)!;
            string outPath = parse.GetValue(output)!;
            var options = flags.Read(parse);
            bool isBatch = BatchInputs.IsBatch(inPaths);
            if (isBatch && options.CheckpointEvery > 0)
                throw new UsageException("--checkpoint-every applies to a single input, not a batch");
            bool show = ProgressDisplay.ShouldShow(parse.GetValue(quiet));
            string? saveModel = parse.GetValue(flags.SaveModel);
            if (saveModel is not null) CheckSaveModel(saveModel, options, isBatch, parse.GetValue(overwrite), inPaths);
            string? reportPath = parse.GetValue(reportPage);
            if (reportPath is not null)
            {
                if (isBatch) throw new UsageException("--report applies to a single input, not a batch");
                OutputPaths.CheckReportName(reportPath, parse.GetValue(overwrite), inPaths, outPath, saveModel);
            }
            var settings = new DenoiseSettings(options, flags.Stacks.Axes(parse), parse.GetValue(bitDepth), show, SaveModel: saveModel)
            {
                Quality = parse.GetValue(quality),
                Report = reportPath,
            };
            bool auto = options.Method == DenoiseFlags.AutoMethod;
            // With auto the method is chosen per image (DenoiseJob); the other settings are checked now, with a stand-in.
            var job = new DenoiseJob(CreateDenoiser(auto ? options with { Method = "bm3d" } : options), settings with { Auto = auto });
            bool asJson = parse.GetValue(json), beQuiet = parse.GetValue(quiet);

            if (isBatch)
            {
                var items = BatchInputs.Expand(inPaths);
                var runner = new BatchRunner(outPath, Shard.Resolve(parse.GetValue(shard), Environment.GetEnvironmentVariable),
                    parse.GetValue(overwrite), asJson, beQuiet, cancel);
                return runner.Run(items, (item, outFile) => Reported(job.Run(item.Input, outFile, cancel), asJson, beQuiet),
                    Console.Out, Console.Error);
            }
            if (parse.GetValue(shard) != null)
                throw new UsageException("--shard splits a batch; give several inputs, a folder or a pattern");
            OutputPaths.Check(outPath, parse.GetValue(overwrite), inPaths[0]);
            if (reportPath is not null) OutputPaths.CheckReportWritable(reportPath);
            // A run that stopped left its training state: the same command resumes it, and rewrites its interim image.
            bool resuming = options.CheckpointEvery > 0 && File.Exists(DenoiseJob.StatePath(outPath));
            if (options.CheckpointEvery > 0)
                OutputPaths.Check(DenoiseJob.CheckpointPath(outPath), parse.GetValue(overwrite) || resuming, inPaths[0]);
            if (resuming && !asJson && !beQuiet)
                Console.Error.WriteLine($"resuming the stopped run from {DenoiseJob.StatePath(outPath)}");
            var report = job.Run(inPaths[0], outPath, cancel);
            if (asJson)
                Console.Out.WriteLine(JsonSerializer.Serialize(report, CliJson.Default.DenoiseReport));
            else
                Reported(report, asJson, beQuiet);
            return ExitCodes.Success;
        }, Console.Error)));
        return command;
    }

    /// <summary>The help's sections, in this order; the method flags follow, one section per set of methods that own
    /// them (<see cref="MethodFlags.SectionOf"/>), and an option in none of these is listed under "Other options".</summary>
    private static readonly string[] SectionOrder = ["Options", "Real noise", "Training", "Output", "Stacks, batches and memory"];

    /// <summary>Which help section each option of <c>denoise</c> is listed in (by name).</summary>
    private static readonly Dictionary<string, string> HelpSections = new()
    {
        ["--output"] = "Options", ["--method"] = "Options", ["--iterations"] = "Options", ["--time-budget"] = "Options", ["--early-stop"] = "Options", ["--seed"] = "Options",
        ["--threads"] = "Options", ["--quiet"] = "Options", ["--help"] = "Options",
        ["--lr"] = "Training", ["--checkpoint-every"] = "Training", ["--checkpoint-passes"] = "Training",
        ["--bit-depth"] = "Output", ["--quality"] = "Output", ["--report"] = "Output", ["--overwrite"] = "Output", ["--json"] = "Output",
        ["--axes"] = "Stacks, batches and memory", ["--train-planes"] = "Stacks, batches and memory",
        ["--memory-budget"] = "Stacks, batches and memory", ["--patch-size"] = "Stacks, batches and memory",
        ["--shard"] = "Stacks, batches and memory",
        ["--decorrelate"] = "Real noise", ["--stabilize"] = "Real noise",
    };

    /// <summary>--save-model is refused before any training unless the method's network is reusable and one file is
    /// denoised; the path follows the output's rules (no overwrite without --overwrite, never over an input).</summary>
    private static void CheckSaveModel(string path, DenoiseOptions options, bool isBatch, bool overwrite, string[] inputs)
    {
        if (isBatch) throw new UsageException("--save-model applies to a single input, not a batch");
        if (DenoiseModel.WhyNone(options) is string why)
            throw new UsageException($"--save-model: {why}; methods with a reusable network: " + string.Join(", ", Hush.Denoising.Methods.MethodRegistry.All
                                         .Where(m => m.Can(Hush.Denoising.Methods.MethodCapabilities.ReusableModel)).Select(m => m.Name)));
        string full = Path.GetFullPath(path);
        if (inputs.Any(i => string.Equals(full, Path.GetFullPath(i), StringComparison.Ordinal)))
            throw new UsageException($"{path}: refusing to write the model over the input");
        if (Directory.Exists(full)) throw new UsageException($"{path}: is a folder, not a file");
        if (Path.GetDirectoryName(full) is string dir && !Directory.Exists(dir))
            throw new CommandFailedException($"{path}: cannot write: folder {dir} does not exist");
        if (File.Exists(full) && !overwrite) throw new UsageException($"{path}: already exists (pass --overwrite to replace it)");
    }

    private static Denoiser CreateDenoiser(DenoiseOptions options)
    {
        try
        {
            return new Denoiser(options);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidInputException(e.Message); // a weights file the settings name
        }
    }

    /// <summary>The text line for a finished file (JSON lines are printed by the caller).</summary>
    private static DenoiseReport Reported(DenoiseReport r, bool json, bool quiet)
    {
        if (!json && !quiet)
        {
            string planes = r.Planes > 1 ? $", {r.Planes} planes, {r.Models} model{(r.Models == 1 ? "" : "s")}" : "";
            string how = r.Iterations is int n ? $"{n} iterations, seed {r.Seed}" : r.Noise ?? "no training";
            if (r.DecorrelationStride > 1) how += $", pixel-shuffled at stride {r.DecorrelationStride}";
            if (r.StoppedByTimeBudget) how += ", stopped by the time budget";
            if (r.KeptIteration is int kept) how += $", weights of step {kept} kept by the stopping rule";
            if (r.Auto is { } auto) Console.Out.WriteLine($"auto: {auto.Flags} ({auto.Row}). {auto.Reason}");
            Console.Out.WriteLine(
                $"wrote {r.Output} ({r.Method}, {how}, {r.Threads} thread{(r.Threads == 1 ? "" : "s")}{planes}) in {r.Seconds:0.0} s");
            if (r.Report is not null) Console.Out.WriteLine($"wrote the report {r.Report}");
        }
        return r;
    }
}

/// <remarks>Iterations and FinalLoss are null for a method that trains nothing; Noise is the noise level a method that
/// needs one used (given or estimated).</remarks>
internal sealed record DenoiseReport(string Input, string Output, string Method, int? Iterations, string Seed,
    int Threads, double Seconds, float? FinalLoss, int Width, int Height, int Channels, int Planes, int Models,
    string Axes, string SampleType, string? Noise)
{
    /// <summary>The pixel-shuffle stride used (--decorrelate); 1 when the image was denoised whole.</summary>
    public int DecorrelationStride { get; init; } = 1;

    /// <summary>True when --time-budget cut training (Iterations is then the steps taken) or an ensemble short.</summary>
    public bool StoppedByTimeBudget { get; init; }

    /// <summary>With --early-stop: the step whose weights the run ended with; absent without it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? KeptIteration { get; init; }

    /// <summary>What --method auto chose and why; absent for a named method.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RecommendationInfo? Auto { get; init; }

    /// <summary>The HTML page --report wrote; absent without --report.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Report { get; init; }

    public static DenoiseReport From(string input, string output, StackDenoiseResult r)
    {
        bool trains = !Hush.Denoising.Methods.MethodRegistry.Find(r.Method).Can(Hush.Denoising.Methods.MethodCapabilities.Classical);
        return new(input, output, r.Method, trains ? r.Iterations : null, r.Seed.ToString(), r.Threads, Math.Round(r.Seconds, 3),
            float.IsFinite(r.FinalLoss) ? r.FinalLoss : null, r.Output.Width, r.Output.Height, r.Channels, r.Planes, r.Models,
            r.Output.Axes, Hush.Imaging.SampleTypeInfo.NumpyName(r.Output.SampleType), r.NoiseUsed) { DecorrelationStride = r.DecorrelationStride, StoppedByTimeBudget = r.StoppedByTimeBudget, KeptIteration = r.KeptIteration };
    }
}
