using System.Diagnostics;
using Hush.Cli.Formats;
using Hush.Denoising;
using Hush.Denoising.Auto;
using Hush.Denoising.Noise;
using Hush.Denoising.Training;
using Hush.Imaging;

namespace Hush.Cli.Commands;

/// <summary>Settings of <c>hush denoise</c> that apply to every file of a run; <paramref name="Observer"/> also sees
/// every progress report (tests).</summary>
/// <paramref name="SaveModel"/> is where <c>--save-model</c> writes the trained network; with <paramref name="Model"/>
/// the job applies that saved model instead of training (<c>hush apply</c>).
internal sealed record DenoiseSettings(DenoiseOptions Options, string? Axes, int? BitDepth, bool ShowProgress,
    IProgress<TrainingProgress>? Observer = null, string? SaveModel = null, DenoiseModel? Model = null)
{
    /// <summary>JPEG quality of the output (--quality); null for the default.</summary>
    public int? Quality { get; init; }

    /// <summary>--method auto: the method and real-noise setting are chosen per file from the noise report of its first
    /// plane (<see cref="ChoiceTable"/>).</summary>
    public bool Auto { get; init; }

    /// <summary>Where --report writes the run's HTML page (single inputs); null for none.</summary>
    public string? Report { get; init; }
}

/// <summary>One input file to one output file: read it (any format, any stack), check that the output format can
/// hold the result before training, denoise every plane, write atomically. Used by single runs and batches.</summary>
internal sealed class DenoiseJob(Denoiser denoiser, DenoiseSettings settings)
{
    public DenoiseReport Run(string inPath, string outPath, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var stack = ImageFile.ReadStack(inPath, InputLimits.For(settings.Options.MemoryBudget), settings.Axes);
        var read = clock.Elapsed;
        CheckOutputCanHold(stack, outPath);
        if (settings.SaveModel is not null && settings.Options.TrainPlanes == 0 && StackPlanes.CountOf(stack) != 1)
            throw new UsageException($"{inPath}: --save-model needs one model, but a stack of {StackPlanes.CountOf(stack)} planes trains one per plane (add --train-planes K)");
        var run = denoiser;
        MethodChoice? choice = null;
        if (settings.Auto)
        {
            choice = Choose(stack, inPath, denoiser.Options);
            run = new Denoiser(choice.ApplyTo(denoiser.Options));
        }
        string checkpoint = CheckpointPath(outPath);
        if (denoiser.Options.CheckpointEvery > 0) // the checkpoint has the output's format: CheckOutputCanHold covers it
            run = new Denoiser(denoiser.Options with
            {
                OnCheckpoint = c => Write(c.Stack!, checkpoint),
                CheckpointFile = Resumable(stack) ? StatePath(outPath) : null,
            });
        var page = settings.Report is null ? null : ReportCapture.Of(stack, inPath);
        var result = ProgressDisplay.Run(settings.ShowProgress, Path.GetFileName(inPath), TotalIterations(stack, run.Options),
            progress => Denoise(run, stack, inPath, Both(Both(progress, settings.Observer), page?.Progress), cancel));
        var written = clock.Elapsed;
        Write(result.Output, outPath);
        written = clock.Elapsed - written;
        if (settings.SaveModel is string modelPath) SaveModel(result.Model!, modelPath);
        if (denoiser.Options.CheckpointEvery > 0) File.Delete(checkpoint); // the final result supersedes it
        page?.Write(settings.Report!, result, inPath, outPath, read, written, choice);
        var report = DenoiseReport.From(inPath, outPath, result) with { Report = settings.Report };
        return choice is null ? report : report with { Auto = RecommendationInfo.Of(choice) };
    }

    /// <summary>The choice for the stack's first plane: planes of one file share a camera and its noise.</summary>
    private static MethodChoice Choose(ImageStack stack, string inPath, DenoiseOptions options)
    {
        try
        {
            var plane = new StackPlanes(stack).Read(0);
            int threads = options.Threads > 0 ? options.Threads : Environment.ProcessorCount;
            var time = new RunTime(plane.Width, plane.Height, threads, options.TimeBudget); // per plane: the budget is shared
            return ChoiceTable.Recommend(NoiseLevelReport.Estimate(plane), StackPlanes.CountOf(stack) == 1 ? time : time with { Budget = null });
        }
        catch (ArgumentException e)
        {
            // Auto is the default, so say how to denoise what it cannot measure (a tiny image) with a method named.
            string why = e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);
            throw new InvalidInputException($"{inPath}: --method auto (the default) cannot measure the noise: {why}; name a method, e.g. -m zs-n2n");
        }
    }

    /// <summary>Where <c>--checkpoint-every</c> writes interim results: OUT.ckpt.EXT beside the output (same format).</summary>
    public static string CheckpointPath(string outPath) =>
        Path.Combine(Path.GetDirectoryName(outPath) ?? "", Path.GetFileNameWithoutExtension(outPath) + ".ckpt" + Path.GetExtension(outPath));

    /// <summary>Where a resumable run keeps its training state: OUT.ckpt.hush beside the output.</summary>
    public static string StatePath(string outPath) =>
        Path.Combine(Path.GetDirectoryName(outPath) ?? "", Path.GetFileNameWithoutExtension(outPath) + ".ckpt.hush");

    /// <summary>True when a checkpointed run of this stack can resume (a method that trains, one plane, the image as it
    /// is, no stopping rule: its kept weights are not in the checkpoint); else it writes interim images only.</summary>
    private bool Resumable(ImageStack stack) =>
        settings.Model is null && settings.Options.Descriptor.Can(Hush.Denoising.Methods.MethodCapabilities.Resumable) &&
        settings.Options.TrainPlanes == 0 && StackPlanes.CountOf(stack) == 1 && !settings.Options.EarlyStop &&
        settings.Options.DecorrelationStride == 1 && settings.Options.VarianceStabilization == VarianceStabilization.Off;

    private static void SaveModel(DenoiseModel model, string path)
    {
        try
        {
            model.Save(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException($"{path}: cannot write the model: {e.Message}", e);
        }
    }

    private static IProgress<TrainingProgress>? Both(IProgress<TrainingProgress>? a, IProgress<TrainingProgress>? b) =>
        a is null ? b : b is null ? a : new Tee(a, b);

    private sealed class Tee(IProgress<TrainingProgress> a, IProgress<TrainingProgress> b) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            a.Report(value);
            b.Report(value);
        }
    }

    private void CheckOutputCanHold(ImageStack stack, string outPath)
    {
        string extension = OutputFormats.ExtensionOf(outPath);
        if (settings.BitDepth is not null)
        {
            if (settings.BitDepth != 8 && OutputFormats.IsEightBitOnly(extension))
                throw new UsageException($"{outPath}: {extension} holds 8 bits a sample only (pass --bit-depth 8)");
            if (stack.PlaneCount != 1)
                throw new UsageException($"{outPath}: --bit-depth applies to single images; a stack of {stack.PlaneCount} planes keeps its sample type");
            return;
        }
        string? problem = OutputFormats.Impossible(stack, extension) ?? OutputFormats.Loss(stack, extension);
        if (problem != null)
            throw new UsageException($"{outPath}: {problem}{(OutputFormats.IsPlain(extension) ? $" (or pass --bit-depth {(OutputFormats.IsEightBitOnly(extension) ? "8" : "8|16")})" : "")}");
    }

    private int TotalIterations(ImageStack stack, DenoiseOptions options) => settings.Model is not null ? (int)Math.Min(StackPlanes.CountOf(stack), int.MaxValue) :
        options.Iterations * (options.TrainPlanes > 0 ? 1 : (int)Math.Min(StackPlanes.CountOf(stack), int.MaxValue / options.Iterations));

    private StackDenoiseResult Denoise(Denoiser denoiser, ImageStack stack, string inPath, IProgress<TrainingProgress>? progress, CancellationToken cancel)
    {
        try
        {
            // The stack was read for this run only, so the output may take over its samples.
            return settings.Model is { } model
                ? denoiser.ApplyStack(model, stack, progress, cancel, overwriteInput: true)
                : denoiser.DenoiseStack(stack, progress, cancel, overwriteInput: true);
        }
        catch (InvalidDataException e) when (denoiser.Options.CheckpointFile is not null)
        {
            throw new InvalidModelException(e.Message); // a checkpoint of another run, or a corrupt one
        }
        catch (ImageFormatException e) when (e.Path is null)
        {
            throw new ImageFormatException(e.Message, inPath, e); // NaN or infinite samples
        }
        catch (InvalidOperationException e)
        {
            throw new CommandFailedException($"{inPath}: {e.Message}", e); // training diverged
        }
        catch (ArgumentException e) when (settings.Model is not null)
        {
            throw new InvalidModelException($"{inPath}: {e.Message}"); // the model does not fit the image
        }
        catch (ArgumentException e)
        {
            throw new InvalidInputException($"{inPath}: {e.Message}"); // e.g. smaller than the method's minimum
        }
    }

    private void Write(ImageStack output, string outPath)
    {
        if (settings.BitDepth is int depth)
            OutputPaths.Write(output.ToImage(), outPath, depth, settings.Quality);
        else
            OutputPaths.Write(output, outPath, settings.Quality);
    }
}
