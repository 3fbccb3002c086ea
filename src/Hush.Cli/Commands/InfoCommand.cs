using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Hush.Imaging;

namespace Hush.Cli.Commands;

/// <summary><c>hush info FILE</c>: what a file holds (format, size, planes, axes, sample type, value range).</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var input = CommonOptions.Input("Image or stack (PNG, PGM/PPM, TIFF, NPY)");
        var axes = CommonOptions.Axes();
        var json = CommonOptions.Json();
        var command = new Command("info", "Describe an image or stack file") { input, axes, json };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            string path = parse.GetValue(input)!;
            var report = Describe(path, ImageFile.ReadStack(path, axes: parse.GetValue(axes)?.ToUpperInvariant()));
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
        return string.Join('\n', lines.Select(l => $"{l.Item1,-11}{l.Item2}"));
    }
}

/// <summary>--json of <c>hush info</c>. Planes: the 2-D images <c>hush denoise</c> treats one by one; channels: those
/// denoised together per plane (alpha not counted); min/max over finite samples (null when there are none).</summary>
internal sealed record InfoReport(string File, string Format, string? Compression, int Width, int Height, long Planes,
    string Axes, string? AxesSource, int[] Shape, string Dtype, int BitDepth, int Channels, double? Min, double? Max, long NonFinite);
