using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Hush.Denoising;
using Hush.Denoising.Methods;
using Hush.Denoising.Benchmarks;

namespace Hush.Cli.Commands;

/// <summary><c>hush bench speed</c>: milliseconds per training iteration on synthetic images, for
/// side-by-side comparison with the PyTorch reference (bench/reference/).</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var sizes = new Option<string>("--sizes") { Description = "Comma-separated WxH sizes", DefaultValueFactory = _ => "256x256,512x512,768x512" };
        var channels = new Option<string>("--channels") { Description = "Comma-separated channel counts", DefaultValueFactory = _ => "3,1" };
        var threads = new Option<string>("--threads") { Description = "Comma-separated thread counts", DefaultValueFactory = _ => "1,2" };
        var method = new Option<string>("--method", "-m") { Description = "Method to time", DefaultValueFactory = _ => "zs-n2n" };
        method.AcceptOnlyFromAmong([.. MethodRegistry.Names, .. TrainingSpeed.Yardsticks]);
        var warmup = new Option<int>("--warmup") { Description = "Untimed iterations first", DefaultValueFactory = _ => 5 };
        var iterations = new Option<int>("--iterations", "-n") { Description = "Timed iterations per configuration", DefaultValueFactory = _ => 20 };
        var json = CommonOptions.Json();
        var profile = new Option<bool>("--profile") { Description = "After each configuration, print the time per op (forward, backward ∂, optimizer) over the timed iterations and passes" };
        var speed = new Command("speed", "Milliseconds per training iteration (median) per size, channel count and thread count, and per prediction pass for methods that average stochastic passes")
        {
            sizes, channels, threads, method, warmup, iterations, json, profile,
        };
        speed.SetAction(parse => CommandRunner.Run(() =>
        {
            var sizeList = ParseList(parse.GetValue(sizes)!, ParseSize, "--sizes");
            var channelList = ParseList(parse.GetValue(channels)!, s => int.Parse(s, CultureInfo.InvariantCulture), "--channels");
            var threadList = ParseList(parse.GetValue(threads)!, s => int.Parse(s, CultureInfo.InvariantCulture), "--threads");
            if (parse.GetValue(iterations) < 1 || parse.GetValue(warmup) < 0)
                throw new UsageException("--iterations must be ≥ 1 and --warmup ≥ 0");
            bool asJson = parse.GetValue(json);
            if (!asJson) Console.Out.WriteLine("method          size      C  threads  ms/iter (median)  min      ms/pass (median)  KB alloc/iter");
            foreach (var (w, h) in sizeList)
            foreach (int c in channelList)
            foreach (int t in threadList)
            {
                var s = TrainingSpeed.Measure(parse.GetValue(method)!, w, h, c, t, parse.GetValue(warmup), parse.GetValue(iterations),
                    parse.GetValue(profile));
                Console.Out.WriteLine(asJson
                    ? JsonSerializer.Serialize(new SpeedReport("hush", s.Method, w, h, c, t, s.Median, s.MillisecondsPerIteration,
                        double.IsNaN(s.PassMedian) ? null : s.PassMedian,
                        double.IsNaN(s.AllocatedBytesPerIteration) ? null : s.AllocatedBytesPerIteration), CliJson.Default.SpeedReport)
                    : string.Create(CultureInfo.InvariantCulture,
                        $"{s.Method,-15} {w + "x" + h,-9} {c,1}  {t,7}  {s.Median,16:0.0}  {s.MillisecondsPerIteration.Min(),-7:0.0}  {(double.IsNaN(s.PassMedian) ? "-" : s.PassMedian.ToString("0.0", CultureInfo.InvariantCulture)),16}  {s.AllocatedBytesPerIteration / 1024,13:0.0}"));
                if (parse.GetValue(profile)) PrintProfiles(s, asJson ? Console.Error : Console.Out);
            }
            if (!asJson && MethodRegistry.TryFind(parse.GetValue(method)) is { } d && d.Can(MethodCapabilities.Classical))
                Console.Out.WriteLine($"{d.Name} trains nothing: ms/iter is milliseconds per whole image (σ given), warm-up and timed runs counted in images");
            return ExitCodes.Success;
        }, Console.Error));
        return new Command("bench", "Benchmarks: training speed, and denoising quality against clean references") { speed, BenchQualityCommand.Create(), BenchTablesCommand.Create(), BenchNoiseCommand.Create() };
    }

    private static List<T> ParseList<T>(string text, Func<string, T> parse, string option)
    {
        try
        {
            return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(parse).ToList();
        }
        catch (FormatException)
        {
            throw new UsageException($"{option}: cannot parse '{text}'");
        }
    }

    // The profile as a table: ms per iteration (or pass) and share of the total, per op, slowest first.
    private static void PrintProfiles(SpeedSample s, TextWriter o)
    {
        foreach (var (title, rows, count) in new[]
                 {
                     ("iteration", s.IterationProfile, s.MillisecondsPerIteration.Length), ("pass", s.PassProfile, s.MillisecondsPerPass.Length),
                 })
        {
            if (rows.Count == 0) continue;
            double total = rows.Sum(r => r.Milliseconds);
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  profile per {title} ({total / count:0.0} ms, {rows.Sum(r => r.Bytes) / (double)count:0} B allocated on the calling thread):"));
            foreach (var r in rows.Where(r => r.Milliseconds >= 0.002 * total || r.Bytes > 0))
                o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"    {r.Milliseconds / count,8:0.00} ms  {100 * r.Milliseconds / total,5:0.0} %  {r.Calls / (double)count,5:0.#}×  {r.Bytes / (double)count,7:0} B  {r.Name}"));
        }
    }

    private static (int, int) ParseSize(string s)
    {
        var parts = s.Split('x');
        if (parts.Length != 2 || !int.TryParse(parts[0], out int w) || !int.TryParse(parts[1], out int h) || w < 2 || h < 2)
            throw new FormatException();
        return (w, h);
    }
}

internal sealed record SpeedReport(string Impl, string Method, int Width, int Height, int Channels, int Threads,
    double MedianMs, double[] MsPerIter, double? MedianMsPerPass = null, double? AllocatedBytesPerIter = null);
