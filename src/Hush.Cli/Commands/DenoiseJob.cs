using Hush.Cli.Formats;
using Hush.Denoising;
using Hush.Denoising.Training;
using Hush.Imaging;

namespace Hush.Cli.Commands;

/// <summary>Settings of <c>hush denoise</c> that apply to every file of a run.</summary>
internal sealed record DenoiseSettings(DenoiseOptions Options, string? Axes, int? BitDepth, bool ShowProgress);

/// <summary>One input file to one output file: read it (any format, any stack), check that the output format can
/// hold the result before training, denoise every plane, write atomically. Used by single runs and batches.</summary>
internal sealed class DenoiseJob(Denoiser denoiser, DenoiseSettings settings)
{
    public DenoiseReport Run(string inPath, string outPath, CancellationToken cancel)
    {
        var stack = ImageFile.ReadStack(inPath, axes: settings.Axes);
        CheckOutputCanHold(stack, outPath);
        var result = ProgressDisplay.Run(settings.ShowProgress, Path.GetFileName(inPath), TotalIterations(stack),
            progress => Denoise(stack, inPath, progress, cancel));
        Write(result.Output, outPath);
        return DenoiseReport.From(inPath, outPath, result);
    }

    private void CheckOutputCanHold(ImageStack stack, string outPath)
    {
        string extension = OutputFormats.ExtensionOf(outPath);
        if (settings.BitDepth is not null)
        {
            if (stack.PlaneCount != 1)
                throw new UsageException($"{outPath}: --bit-depth applies to single images; a stack of {stack.PlaneCount} planes keeps its sample type");
            return;
        }
        string? problem = OutputFormats.Impossible(stack, extension) ?? OutputFormats.Loss(stack, extension);
        if (problem != null)
            throw new UsageException($"{outPath}: {problem}{(OutputFormats.IsPlain(extension) ? " (or pass --bit-depth 8|16)" : "")}");
    }

    private int TotalIterations(ImageStack stack) =>
        settings.Options.Iterations * (settings.Options.TrainPlanes > 0 ? 1 : (int)Math.Min(StackPlanes.CountOf(stack), int.MaxValue / settings.Options.Iterations));

    private StackDenoiseResult Denoise(ImageStack stack, string inPath, IProgress<TrainingProgress>? progress, CancellationToken cancel)
    {
        try
        {
            return denoiser.DenoiseStack(stack, progress, cancel, overwriteInput: true); // the stack was read for this run only
        }
        catch (ImageFormatException e) when (e.Path is null)
        {
            throw new ImageFormatException(e.Message, inPath, e); // NaN or infinite samples
        }
        catch (InvalidOperationException e)
        {
            throw new CommandFailedException($"{inPath}: {e.Message}", e); // training diverged
        }
        catch (ArgumentException e)
        {
            throw new InvalidInputException($"{inPath}: {e.Message}"); // e.g. smaller than the method's minimum
        }
    }

    private void Write(ImageStack output, string outPath)
    {
        if (settings.BitDepth is int depth)
            OutputPaths.Write(output.ToImage(), outPath, depth);
        else
            OutputPaths.Write(output, outPath);
    }
}
