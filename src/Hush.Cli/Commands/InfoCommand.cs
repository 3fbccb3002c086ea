using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Hush.Denoising.Noise;
using Hush.Imaging;

namespace Hush.Cli.Commands;

/// <summary><c>hush info FILE</c>: what a file holds (format, size, planes, axes, sample type, value range), and with
/// <c>--noise</c> how noisy its first plane is.</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var input = CommonOptions.Input("Image or stack (PNG, PGM/PPM, TIFF, NPY)");
        var axes = CommonOptions.Axes();
        var json = CommonOptions.Json();
        var noise = new Option<bool>("--noise")
        {
            Description = "Also estimate the noise of the first plane: Gaussian σ (of 255, per channel) and the Poisson–Gaussian variance a·x + b",
        };
        var command = new Command("info", "Describe an image or stack file") { input, axes, json, noise };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            string path = parse.GetValue(input)!;
            var stack = ImageFile.ReadStack(path, axes: parse.GetValue(axes)?.ToUpperInvariant());
            var report = Describe(path, stack);
            if (parse.GetValue(noise)) report = report with { Noise = EstimateNoise(stack) };
            Console.Out.WriteLine(parse.GetValue(json) ? JsonSerializer.Serialize(report, CliJson.Default.InfoReport) : Text(report));
            return ExitCodes.Success;
        }, Console.Error));
        return command;
    }

    private static InfoReport Describe(string path, ImageStack stack)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        long nonFinite = 0;
        for (long i = 0; i < stack.Length; i++)
        {
            double v = stack.ValueAt(i);
            if (!double.IsFinite(v)) { nonFinite++; continue; }
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        var m = stack.Metadata;
        return new InfoReport(path, m.Format ?? "unknown", m.Compression, stack.Width, stack.Height, StackPlanes.CountOf(stack),
            stack.Axes, m.AxesSource, [.. stack.Shape], stack.SampleType.NumpyName(), BitDepth(stack.SampleType),
            StackPlanes.ChannelsOf(stack), nonFinite == stack.Length ? null : min, nonFinite == stack.Length ? null : max, nonFinite);
    }

    // The first plane only: planes of one file share a camera, and estimating all of a long stack would make info slow.
    private static NoiseInfo EstimateNoise(ImageStack stack)
    {
        var planes = new StackPlanes(stack);
        string? where = planes.Count > 1 ? planes.Describe(0) : null;
        try
        {
            var r = NoiseLevelReport.Estimate(planes.Read(0));
            return new NoiseInfo(where, r.Sigma, r.SigmaPerChannel, r.PoissonA, r.PoissonB, null)
            {
                Kind = KindName(r.Kind),
                CorrelationHorizontal = r.CorrelationHorizontal,
                CorrelationVertical = r.CorrelationVertical,
                PoissonShare = r.PoissonShare,
                DecorrelatingStride = r.DecorrelatingStride,
            };
        }
        catch (ArgumentException e)
        {
            return new NoiseInfo(where, null, null, null, null, e.Message);
        }
    }

    private static string NoiseText(NoiseInfo n)
    {
        static string S(double sigma) => (sigma * 255).ToString("0.0", CultureInfo.InvariantCulture);
        string plane = n.Plane is null ? "" : $" (plane {n.Plane})";
        if (n.Sigma is not double sigma) return $"cannot estimate{plane}: {n.Error}";
        string text = $"σ ≈ {S(sigma)}/255";
        if (n.SigmaPerChannel is { Length: > 1 } perChannel) text += $" (per channel {string.Join(", ", perChannel.Select(S))})";
        if (n.PoissonA is double a && n.PoissonB is double b)
            text += string.Create(CultureInfo.InvariantCulture, $"; Poisson–Gaussian a = {a:G3}, b = {b:G3}");
        if (n.PoissonShare is double share)
            text += string.Create(CultureInfo.InvariantCulture, $" ({100 * share:0}% signal-dependent at the mean)");
        if (n.CorrelationHorizontal is { Length: > 0 } h && n.CorrelationVertical is { } v)
        {
            static string R(double x) => (Math.Round(x, 2) + 0.0).ToString("0.00", CultureInfo.InvariantCulture);
            text += $"; correlation at lags 1-3 {string.Join(" ", h.Select(R))} (rows), {string.Join(" ", v.Select(R))} (columns)";
        }
        if (n.Kind is string kind)
            text += $"; kind: {kind}" + (n.DecorrelatingStride > 1 ? $", decorrelated at stride {n.DecorrelatingStride}" : "");
        return text + plane;
    }

    private static string KindName(NoiseKind kind) => kind switch
    {
        NoiseKind.PoissonGaussian => "poisson-gaussian",
        NoiseKind.Correlated => "correlated",
        _ => "gaussian",
    };

    private static int BitDepth(SampleType type) => type == SampleType.Bool ? 1 : type.ByteSize() * 8;

    private static string Text(InfoReport r)
    {
        static string N(double? v) => v?.ToString("G9", CultureInfo.InvariantCulture) ?? "-";
        var lines = new List<(string, string)>
        {
            ("file", r.File),
            ("format", r.Compression is null ? r.Format : $"{r.Format}, {r.Compression}"),
            ("width", r.Width.ToString(CultureInfo.InvariantCulture)),
            ("height", r.Height.ToString(CultureInfo.InvariantCulture)),
            ("planes", r.Planes.ToString(CultureInfo.InvariantCulture)),
            ("axes", r.AxesSource is null ? r.Axes : $"{r.Axes} (from {r.AxesSource})"),
            ("shape", string.Join('x', r.Shape)),
            ("dtype", r.Dtype),
            ("bit depth", r.BitDepth.ToString(CultureInfo.InvariantCulture)),
            ("channels", r.Channels.ToString(CultureInfo.InvariantCulture)),
            ("range", $"{N(r.Min)} .. {N(r.Max)}"),
        };
        if (r.NonFinite > 0) lines.Add(("non-finite", r.NonFinite.ToString(CultureInfo.InvariantCulture)));
        if (r.Noise is not null) lines.Add(("noise", NoiseText(r.Noise)));
        return string.Join('\n', lines.Select(l => $"{l.Item1,-11}{l.Item2}"));
    }
}

/// <summary>--json of <c>hush info</c>. Planes: the 2-D images <c>hush denoise</c> treats one by one; channels: those
/// denoised together per plane (alpha not counted); min/max over finite samples (null when there are none).</summary>
internal sealed record InfoReport(string File, string Format, string? Compression, int Width, int Height, long Planes,
    string Axes, string? AxesSource, int[] Shape, string Dtype, int BitDepth, int Channels, double? Min, double? Max, long NonFinite)
{
    /// <summary>With --noise only.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public NoiseInfo? Noise { get; init; }
}

/// <summary>The noise of one plane in [0,1] units (σ = 25/255 for σ = 25 of 255): Gaussian σ (median over channels) and
/// per channel, and var(y | x) = a·x + b; the plane's position when the file has several; an error when the plane is
/// too small to estimate (σ null), and a, b null when too much of it is clipped for the fit.</summary>
internal sealed record NoiseInfo(string? Plane, double? Sigma, double[]? SigmaPerChannel, double? PoissonA, double? PoissonB, string? Error)
{
    /// <summary>gaussian, poisson-gaussian or correlated (<see cref="NoiseKind"/>); null when nothing was estimated.</summary>
    public string? Kind { get; init; }

    /// <summary>Noise autocorrelation at horizontal lags 1, 2, 3.</summary>
    public double[]? CorrelationHorizontal { get; init; }

    /// <summary>Noise autocorrelation at vertical lags 1, 2, 3.</summary>
    public double[]? CorrelationVertical { get; init; }

    /// <summary>Share of the noise variance at the mean intensity that grows with the signal.</summary>
    public double? PoissonShare { get; init; }

    /// <summary>Smallest subsampling stride the correlation does not reach.</summary>
    public int? DecorrelatingStride { get; init; }
}
