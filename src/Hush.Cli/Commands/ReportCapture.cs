using System.Globalization;
using Hush.Denoising;
using Hush.Denoising.Reports;
using Hush.Imaging;

namespace Hush.Cli.Commands;

/// <summary>What <c>--report</c> needs from one file's run: the noisy first plane, read before the run takes over the
/// stack's samples, and every progress report (<see cref="Progress"/>); after the run, <see cref="Write"/> makes the page
/// (<see cref="Hush.Denoising.Reports.DenoiseReport"/>). A stack's report shows its first plane.</summary>
internal sealed class ReportCapture
{
    private readonly Image _noisy;
    private readonly (double Offset, double Scale) _mapping;
    private readonly SampleType _sampleType;
    private readonly string _shape, _firstPlane;
    private readonly int _planes;

    private ReportCapture(ImageStack stack)
    {
        var planes = new StackPlanes(stack);
        _noisy = planes.Read(0);
        _mapping = planes.MappingOf(0);
        _sampleType = stack.SampleType;
        _planes = planes.Count;
        _firstPlane = planes.Describe(0);
        _shape = $"{stack.Axes} {string.Join('×', stack.Shape)}";
    }

    /// <summary>Every progress report of the run, for the loss curve and timings.</summary>
    public ProgressRecorder Progress { get; } = new();

    /// <summary>Reads the first plane of <paramref name="stack"/> (before the run, which may overwrite the stack).</summary>
    public static ReportCapture Of(ImageStack stack, string inPath)
    {
        try
        {
            return new ReportCapture(stack);
        }
        catch (ImageFormatException e) when (e.Path is null)
        {
            throw new ImageFormatException(e.Message, inPath, e); // NaN or infinite samples, as the run would say
        }
    }

    /// <summary>Writes the page for <paramref name="result"/> to <paramref name="path"/> atomically.</summary>
    /// <param name="choice">What --method auto chose, and why; null for a named method.</param>
    public void Write(string path, StackDenoiseResult result, string inPath, string outPath, TimeSpan read, TimeSpan write,
        Hush.Denoising.Auto.MethodChoice? choice = null)
    {
        var details = new List<KeyValuePair<string, string>>();
        if (choice is not null) details.Add(new("chosen by --method auto", $"{choice.CommandLine} ({choice.Row}): {choice.Reason}"));
        if (result.Options?.TimeBudget is TimeSpan budget)
            details.Add(new("time budget", $"{budget.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s: " +
                (result.StoppedByTimeBudget ? $"cut short, {result.Iterations} steps taken" : "not reached")));
        details.AddRange(new List<KeyValuePair<string, string>>
        {
            new("sample type", SampleTypeInfo.NumpyName(_sampleType)),
            new("axes and shape", _shape),
        });
        if (_planes > 1)
            details.Add(new("planes", $"{_planes}, each denoised; the first ({_firstPlane}) is shown"));
        details.Add(new("reading the input", Seconds(read)));
        details.Add(new("writing the output", Seconds(write)));
        var run = new DenoiseResult(Denoised(result.Output), result.Method, result.Iterations, result.Seed, result.Threads,
            result.Seconds, result.FinalLoss)
        {
            NoiseUsed = result.NoiseUsed, DecorrelationStride = result.DecorrelationStride, Options = result.Options,
            StoppedByTimeBudget = result.StoppedByTimeBudget,
        };
        var page = new Hush.Denoising.Reports.DenoiseReport(_noisy, run, Progress.Reports)
        {
            HeldOutLoss = result.HeldOutLoss?.Select(m => new Hush.Denoising.Training.TrainingProgress(m.Step, result.Iterations, m.Loss, TimeSpan.Zero)).ToArray(),
            InputPath = inPath, OutputPath = outPath, Details = details,
        };
        try
        {
            page.WriteHtml(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException($"{path}: cannot write the report: {OutputPaths.Reason(e, path, path)}", e);
        }
    }

    /// <summary>The output's first plane in the noisy plane's units: a float plane outside [0,1] is read by its own
    /// min..max, so it is mapped back through both ranges to compare like with like (integer types share one range;
    /// a Bool input's uint8 output is already in [0,1]).</summary>
    private Image Denoised(ImageStack output)
    {
        var planes = new StackPlanes(output);
        var plane = planes.Read(0);
        var (offset, scale) = planes.MappingOf(0);
        if (output.SampleType != _sampleType || (offset, scale) == _mapping) return plane;
        var data = new float[plane.Data.Length];
        for (int i = 0; i < data.Length; i++)
            data[i] = (float)((offset + scale * plane.Data[i] - _mapping.Offset) / _mapping.Scale);
        return plane.WithData(data);
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.00 s", CultureInfo.InvariantCulture);
}
