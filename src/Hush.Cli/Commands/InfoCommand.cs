using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Hush.Denoising.Auto;
using Hush.Denoising.Noise;
using Hush.Imaging;

namespace Hush.Cli.Commands;

/// <summary><c>hush info FILE</c>: what a file holds (format, size, planes, axes, sample type), read from its header
/// so that any file costs little; the value range for files of up to <see cref="RangeSamples"/> samples; and with
/// <c>--noise</c> (which decodes the file, range included) how noisy its first plane is.</summary>
internal static class InfoCommand
{
    /// <summary>Files of up to this many samples (16 MiB as floats; info of a 2048x2048 grey PNG measures 0.8 s and
    /// 86 MB max RSS, a 1182x1182 RGB one 1.1 s and 82 MB) are decoded for their value range, so that no file under 1 MB costs info more than 2 s and 256 MB;
    /// larger ones are described from the header alone unless --noise asks for the samples.</summary>
    public const long RangeSamples = 4L << 20;

    public static Command Create()
    {
        var input = CommonOptions.Input("Image or stack (PNG, PGM/PPM, TIFF, NPY, JPEG, BMP, GIF, WebP)");
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
            string? axisNames = parse.GetValue(axes)?.ToUpperInvariant();
            // Describing costs nothing of the image's size, so only the decode below is held to the memory budget.
            var info = ImageFile.Identify(path, DecoderLimits.Default with { MaxDecodedBytes = long.MaxValue }, axisNames);
            var report = Describe(path, info);
            if (parse.GetValue(noise) || info.SampleCount <= RangeSamples)
            {
                var stack = ImageFile.ReadStack(path, InputLimits.For(0), axisNames);
                report = WithRange(report, stack);
                if (parse.GetValue(noise)) report = report with { Noise = EstimateNoise(stack) };
            }
            Console.Out.WriteLine(parse.GetValue(json) ? JsonSerializer.Serialize(report, CliJson.Default.InfoReport) : Text(report));
            return ExitCodes.Success;
        }, Console.Error));
        return command;
    }

    private static InfoReport Describe(string path, ImageStackInfo info)
    {
        var m = info.Metadata;
        return new InfoReport(path, m.Format ?? "unknown", m.Compression, info.Width, info.Height, StackPlanes.CountOf(info),
            info.Axes, m.AxesSource, [.. info.Shape], info.SampleType.NumpyName(), BitDepth(info.SampleType),
            StackPlanes.ChannelsOf(info), null, null, 0) { MaxValue = m.MaxValue };
    }

    /// <summary>The report with the decoded stack's shape (a photo's alpha shows only once decoded) and value range.</summary>
    private static InfoReport WithRange(InfoReport report, ImageStack stack)
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
        bool none = nonFinite == stack.Length;
        return report with
        {
            Axes = stack.Axes, Shape = [.. stack.Shape], Channels = StackPlanes.ChannelsOf(stack),
            Min = none ? null : min, Max = none ? null : max, NonFinite = nonFinite,
        };
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
                SigmaSpread = r.SigmaSpread,
                SubImageSigmaRatio = double.IsNaN(r.SubImageSigmaRatio) ? null : r.SubImageSigmaRatio,
                Recommendation = RecommendationInfo.Of(ChoiceTable.Recommend(r)),
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
        if (n.SubImageSigmaRatio is double hidden)
            text += string.Create(CultureInfo.InvariantCulture,
                $"; σ on the stride-2 sub-images ×{hidden:0.00} (correlated noise hides from the σ estimate: ≥ {NoiseLevelReport.HiddenAbove:0.0#})");
        if (n.SigmaSpread is double spread)
            text += string.Create(CultureInfo.InvariantCulture, $"; level across the image ×{spread:0.00} (regional σ, highest over lowest)");
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
            ("bit depth", r.MaxValue is int maxValue ? $"{r.BitDepth} (maxval {maxValue})" : r.BitDepth.ToString(CultureInfo.InvariantCulture)),
            ("channels", r.Channels.ToString(CultureInfo.InvariantCulture)),
            ("range", r.Min is null && r.Max is null && r.NonFinite == 0 ? "not read (large file; --noise reads the samples)" : $"{N(r.Min)} .. {N(r.Max)}"),
        };
        if (r.NonFinite > 0) lines.Add(("non-finite", r.NonFinite.ToString(CultureInfo.InvariantCulture)));
        if (r.Noise is not null) lines.Add(("noise", NoiseText(r.Noise)));
        if (r.Noise?.Recommendation is { } choice)
        {
            lines.Add(("recommends", $"hush denoise {choice.Flags}"));
            lines.Add(("because", choice.Reason));
        }
        return string.Join('\n', lines.Select(l => $"{l.Item1,-11}{l.Item2}"));
    }
}

/// <summary>--json of <c>hush info</c>. Planes: the 2-D images <c>hush denoise</c> treats one by one; channels: those
/// denoised together per plane (alpha not counted); min/max over finite samples (null when there are none, or when
/// the file was too large to decode without --noise).</summary>
internal sealed record InfoReport(string File, string Format, string? Compression, int Width, int Height, long Planes,
    string Axes, string? AxesSource, int[] Shape, string Dtype, int BitDepth, int Channels, double? Min, double? Max, long NonFinite)
{
    /// <summary>A PNM maxval other than the sample type's full range (e.g. 1023 for 10-bit data); null otherwise.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? MaxValue { get; init; }

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

    /// <summary>Largest over smallest σ of a 3×3 grid of regions (1: one noise level everywhere).</summary>
    public double? SigmaSpread { get; init; }

    /// <summary>σ of the stride-2 pixel-shuffled sub-images over σ of the image: noise that is correlated reads higher on
    /// the sub-images (<see cref="NoiseLevelReport.HiddenAbove"/> and up counts as camera noise); null when not measured.</summary>
    public double? SubImageSigmaRatio { get; init; }

    /// <summary>The method and setting Hush recommends for this noise (<see cref="ChoiceTable"/>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RecommendationInfo? Recommendation { get; init; }
}

/// <summary>--json form of a <see cref="MethodChoice"/>: the choice table's row, the method, the flags that select it
/// and the reason.</summary>
internal sealed record RecommendationInfo(string Row, string Method, string Flags, string Reason)
{
    public static RecommendationInfo Of(MethodChoice c) => new(c.Row, c.Method, c.CommandLine, c.Reason);
}
