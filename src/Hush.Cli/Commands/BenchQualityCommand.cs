using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Hush.Cli.Quality;
using Hush.Denoising;
using Hush.Denoising.Methods;
using Hush.Imaging;

namespace Hush.Cli.Commands;

/// <summary><c>hush bench quality</c>: every method (and swept setting) on every noisy/clean pair; PSNR, SSIM,
/// seconds and iterations per image and on average, as results.md, results.csv and results.json, and results.html with
/// thumbnails of the saved outputs. Each finished
/// run is kept in runs/KEY.json, so an interrupted benchmark continues where it stopped.</summary>
internal static class BenchQualityCommand
{
    public static Command Create()
    {
        var pairs = new Option<string?>("--pairs") { Description = "Folder of noisy/clean pairs: a reference.tsv, or NAME_clean.EXT beside NAME_NOISE.EXT" };
        var clean = new Option<string[]>("--clean")
        {
            Description = "Clean images or folders of them; noised with --noise",
            AllowMultipleArgumentsPerToken = true,
        };
        var noise = new Option<string?>("--noise") { Description = "With --clean: levels, e.g. g25,g50,p30 (gN Gaussian σ=N of 255, pN Poisson peak N, vA-B Gaussian with σ rising from A at the top-left to B at the bottom-right, pNgS Poisson peak N plus Gaussian σ=S; a trailing u, g25u, leaves the noise unclipped); with --pairs: which noise labels to keep" };
        var noiseSeed = new Option<ulong>("--noise-seed") { Description = "Seed of the synthetic noise (every image)", DefaultValueFactory = _ => 0 };
        var crop = new Option<string?>("--crop") { Description = "Centre crop WxH of every image, for quick runs (drops reference scores)" };
        var limit = new Option<int?>("--limit") { Description = "Only the first N images, sorted by name" };
        var methods = new Option<string>("--methods", "-m") { Description = $"Comma-separated methods: {string.Join(", ", MethodRegistry.Names)}", DefaultValueFactory = _ => "zs-n2n" };
        var iterations = new Option<int?>("--iterations", "-n") { Description = "Training iterations (default: each method's own, as `hush methods` lists)" };
        var seed = new Option<ulong>("--seed") { Description = "Training seed", DefaultValueFactory = _ => 0 };
        var threads = new Option<int>("--threads", "-t") { Description = "Worker threads (default: all cores)" };
        var sweep = new Option<string[]>("--sweep")
        {
            Description = $"NAME=v1,v2,...: one row per value (repeatable; Cartesian product). Names: {string.Join(", ", SweepParameters.Names)}",
        };
        var output = new Option<string>("--output", "-o") { Description = "Results folder (created; reused to resume)", Required = true };
        var saveOutputs = new Option<bool>("--save-outputs") { Description = "Also write each denoised image to outputs/KEY.png (16-bit); results.html then shows thumbnails" };
        var json = new Option<bool>("--json") { Description = "Print the results (results.json, on one line) on stdout" };
        var quiet = CommonOptions.Quiet();
        var command = new Command("quality", "PSNR/SSIM of methods on noisy/clean pairs: per image and mean, as Markdown, CSV, JSON and an HTML page; resumable")
        {
            pairs, clean, noise, noiseSeed, crop, limit, methods, iterations, seed, threads, sweep, output, saveOutputs, json, quiet,
        };
        command.Validators.Add(r =>
        {
            bool p = r.GetValue(pairs) is not null, c = r.GetValue(clean) is { Length: > 0 };
            if (p == c) r.AddError("give exactly one of --pairs DIR or --clean FILES_OR_DIRS");
            else if (c && r.GetValue(noise) is null) r.AddError("--clean needs --noise (e.g. --noise g25,p30)");
            if (r.GetValue(limit) is < 1) r.AddError("--limit must be ≥ 1");
            if (r.GetValue(iterations) is < 1) r.AddError("--iterations must be ≥ 1");
            if (r.GetValue(threads) < 0) r.AddError("--threads must be ≥ 0");
        });
        command.SetAction((parse, cancel) => Task.FromResult(CommandRunner.Run(() =>
        {
            var settings = new Settings(
                Pairs: parse.GetValue(pairs), Clean: parse.GetValue(clean) ?? [], Noise: parse.GetValue(noise),
                NoiseSeed: parse.GetValue(noiseSeed), Crop: ParseCrop(parse.GetValue(crop)), Limit: parse.GetValue(limit),
                Methods: parse.GetValue(methods)!, Iterations: parse.GetValue(iterations), Seed: parse.GetValue(seed),
                Threads: parse.GetValue(threads), Sweeps: parse.GetValue(sweep) ?? [], Output: parse.GetValue(output)!,
                SaveOutputs: parse.GetValue(saveOutputs), Json: parse.GetValue(json), Quiet: parse.GetValue(quiet));
            return Run(settings, Console.Out, Console.Error, cancel);
        }, Console.Error)));
        return command;
    }

    internal sealed record Settings(string? Pairs, string[] Clean, string? Noise, ulong NoiseSeed, (int, int)? Crop, int? Limit,
        string Methods, int? Iterations, ulong Seed, int Threads, string[] Sweeps, string Output, bool SaveOutputs, bool Json, bool Quiet);

    /// <summary>Every run the settings ask for: each method and swept setting on each pair, in that order.</summary>
    internal sealed record BenchPlan(int Configurations, int Pairs, List<PlannedRun> Runs)
    {
        /// <summary>Each run's input by key, for the thumbnails of results.html.</summary>
        public Dictionary<string, QualityPair> PairsByKey() => Runs.ToDictionary(r => r.Key, r => r.Pair);
    }

    /// <summary>The plan of <paramref name="s"/>: methods, settings and inputs checked (usage and input errors thrown),
    /// no image read.</summary>
    internal static BenchPlan Plan(Settings s)
    {
        var configs = Configurations(s);
        var inputs = s.Pairs is not null
            ? QualityInputs.FromPairs(s.Pairs, s.Noise?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries), s.Crop, s.Limit)
            : QualityInputs.FromClean(s.Clean, NoiseSpec.ParseList(s.Noise!), s.NoiseSeed, s.Crop, s.Limit);
        return new BenchPlan(configs.Count, inputs.Count, inputs.SelectMany(pair => configs.Select(o => PlannedRun.Create(o, pair))).ToList());
    }

    internal static int Run(Settings s, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
    {
        var benchPlan = Plan(s);
        if (File.Exists(s.Output)) throw new UsageException($"{s.Output}: is a file; -o takes a results folder");
        var store = new RunStore(Path.Combine(s.Output, "runs"));
        var plan = benchPlan.Runs;
        var pairs = benchPlan.PairsByKey();
        // results.md/.csv/.json and results.html from every run file in the folder: after the last run, and after a failure or cancel.
        QualityReport WriteResults()
        {
            var runs = store.LoadAll(stderr);
            var report = QualityTables.Build(runs);
            QualityTables.WriteAll(report, s.Output);
            QualityPage.Write(s.Output, runs, report, pairs);
            return report;
        }
        var done = store.LoadAll(stderr).Select(r => r.Key).ToHashSet();
        var pending = plan.Where(p => !done.Contains(p.Key)).ToList();
        foreach (var pair in pending.Select(p => p.Pair).Distinct()) pair.Load(); // every input readable before hours of training
        PrepareOutput(store, s.Output, s.SaveOutputs);
        if (!s.Quiet)
            stderr.WriteLine($"hush: {plan.Count} runs ({benchPlan.Configurations} method/settings × {benchPlan.Pairs} pairs); "
                             + $"{plan.Count - pending.Count} already in {store.Folder}, {pending.Count} to compute");

        int finished = 0;
        try
        {
            foreach (var group in pending.GroupBy(p => p.Pair))
            {
                var (noisy, cleanImage) = group.Key.Load();
                var (noisyPsnr, noisySsim) = QualityScore.Of(noisy, cleanImage);
                foreach (var planned in group)
                {
                    var run = Execute(planned, noisy, cleanImage, noisyPsnr, noisySsim, s, cancel);
                    store.Save(run);
                    finished++;
                    if (!s.Quiet) stderr.WriteLine(Progress(run, plan.Count - pending.Count + finished, plan.Count));
                }
            }
        }
        catch (CommandFailedException)
        {
            WriteResults(); // the runs that finished
            throw;
        }
        catch (OperationCanceledException)
        {
            WriteResults();
            throw new CommandFailedException($"cancelled after {finished} of {pending.Count} runs; finished runs are kept in {store.Folder}: run the same command again to continue");
        }

        var report = WriteResults();
        if (s.Json)
            stdout.WriteLine(JsonSerializer.Serialize(report, CliJson.Default.QualityReport));
        else if (!s.Quiet)
        {
            stdout.Write(QualityTables.SummaryMarkdown(report));
            stdout.WriteLine($"wrote {Path.Combine(s.Output, "results.md")}, results.csv, results.json and {QualityPage.FileName} ({report.Rows.Length} rows)");
        }
        return ExitCodes.Success;
    }

    /// <summary>Every method × swept setting, each checked before any work starts.</summary>
    private static List<DenoiseOptions> Configurations(Settings s)
    {
        var names = s.Methods.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct().ToList();
        if (names.Count == 0) throw new UsageException("--methods: no method given");
        foreach (string name in names)
            if (!MethodRegistry.Names.Contains(name))
                throw new UsageException($"--methods: unknown method '{name}' (known: {string.Join(", ", MethodRegistry.Names)})");
        return names.SelectMany(name =>
        {
            var baseOptions = new DenoiseOptions { Method = name, Seed = s.Seed, Threads = s.Threads };
            if (s.Iterations is int n) baseOptions = baseOptions with { Iterations = n };
            return SweepParameters.Expand(baseOptions, s.Sweeps);
        }).ToList();
    }

    private static void PrepareOutput(RunStore store, string output, bool saveOutputs)
    {
        try
        {
            Directory.CreateDirectory(store.Folder);
            if (saveOutputs) Directory.CreateDirectory(Path.Combine(output, "outputs"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException($"{output}: cannot create the results folder: {e.Message}", e);
        }
    }

    private static QualityRun Execute(PlannedRun planned, Image noisy, Image clean, double noisyPsnr, double noisySsim,
        Settings s, CancellationToken cancel)
    {
        DenoiseResult result;
        try
        {
            result = new Denoiser(planned.Options).Denoise(noisy, progress: null, cancel);
        }
        catch (InvalidOperationException e)
        {
            throw new CommandFailedException($"{planned.Key}: {e.Message}", e);
        }
        var (psnr, ssim) = QualityScore.Of(result.Output, clean);
        string? saved = null;
        if (s.SaveOutputs)
        {
            saved = Path.Combine(s.Output, "outputs", planned.Key + ".png");
            OutputPaths.Write(result.Output, saved, 16);
        }
        var pair = planned.Pair;
        return new QualityRun(1, planned.Key, result.Method, planned.Label, SweepParameters.Settings(planned.Options),
            pair.Image, pair.Noise, pair.Source, result.Seed.ToString(CultureInfo.InvariantCulture), result.Threads,
            result.Iterations, result.Seconds, result.FinalLoss, noisy.Width, noisy.Height, noisy.Channels,
            noisyPsnr, noisySsim, psnr, ssim, pair.RefPsnr, pair.RefSsim, saved, result.KeptIteration);
    }

    private static string Progress(QualityRun r, int index, int total)
    {
        string reference = r.RefPsnr is double rp ? string.Create(CultureInfo.InvariantCulture, $", reference {rp:0.000} Δ {r.Psnr - rp:+0.000;-0.000;0.000}") : "";
        string options = r.Options.Length > 0 ? " " + r.Options : "";
        string kept = r.KeptIteration is int k ? string.Create(CultureInfo.InvariantCulture, $", weights of step {k} of {r.Iterations}") : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"[{index}/{total}] {r.Method}{options} seed {r.Seed} {r.Image} {r.Noise}: PSNR {r.Psnr:0.000} dB (noisy {r.NoisyPsnr:0.000}{reference}), SSIM {r.Ssim:0.0000}, {r.Seconds:0.0} s{kept}");
    }

    internal static (int, int)? ParseCrop(string? text)
    {
        if (text is null) return null;
        var parts = text.Split('x');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int w)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int h) || w < 2 || h < 2)
            throw new UsageException($"--crop: cannot parse '{text}' (use WxH, e.g. 64x64)");
        return (w, h);
    }
}
