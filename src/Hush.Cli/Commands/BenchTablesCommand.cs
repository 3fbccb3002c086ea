using System.CommandLine;
using System.Globalization;
using System.Text;
using Hush.Cli.Quality;
using Hush.Imaging;

namespace Hush.Cli.Commands;

/// <summary><c>hush bench tables</c>: reruns the comparison rows of the papers Hush implements (<see cref="PaperTables"/>)
/// through <c>bench quality</c> (resumable, one results folder per row) and prints each Hush figure beside the
/// published one. Network rows run on the first few images of their set unless <c>--full</c>; every row says how
/// many images it ran and how long the whole set would take at the measured seconds per image.</summary>
internal static class BenchTablesCommand
{
    public static Command Create()
    {
        var tables = new Option<string>("--tables") { Description = $"Comma-separated tables: {string.Join(", ", PaperTables.All.Select(t => t.Name))} (default: all)" };
        var methods = new Option<string?>("--methods", "-m") { Description = "Only the rows of these methods (comma-separated)" };
        var images = new Option<int?>("--images") { Description = "Images per row (default: each table's own: all for bm3d, a few for the networks)" };
        var full = new Option<bool>("--full") { Description = "Every image of every row (hours to days for the network methods on a CPU)" };
        var threads = new Option<int>("--threads", "-t") { Description = "Worker threads (default: all cores)" };
        var output = new Option<string>("--output", "-o") { Description = "Results folder (created; reused to resume)", Required = true };
        var saveOutputs = new Option<bool>("--save-outputs") { Description = "Also write each denoised image to ROW/outputs/KEY.png; the HTML pages then show thumbnails" };
        var quiet = CommonOptions.Quiet();
        var command = new Command("tables", "The papers' comparison rows rerun by Hush, each beside its published figure; Markdown and HTML, with CSV and JSON per row; resumable")
        {
            tables, methods, images, full, threads, output, saveOutputs, quiet,
        };
        command.SetAction((parse, cancel) => Task.FromResult(CommandRunner.Run(() =>
        {
            var chosen = Select(parse.GetValue(tables));
            var only = parse.GetValue(methods)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet();
            if (parse.GetValue(images) is < 1) throw new UsageException("--images must be ≥ 1");
            string root = parse.GetValue(output)!;
            var report = new StringBuilder();
            var done = new List<TableResult>();
            foreach (var table in chosen)
            {
                int perRow = parse.GetValue(full) ? int.MaxValue : parse.GetValue(images) ?? table.DefaultImages;
                var rows = table.Rows.Where(r => only is null || only.Contains(r.Method)).ToList();
                if (rows.Count == 0) continue;
                report.Append(Header(table, perRow));
                var results = new List<RowResult>();
                foreach (var row in rows)
                {
                    results.Add(RunRow(table, row, perRow, parse.GetValue(threads), root, parse.GetValue(saveOutputs), parse.GetValue(quiet), cancel));
                    report.Append(Line(results[^1]));
                }
                report.Append('\n');
                done.Add(new TableResult(table, perRow, results));
            }
            Directory.CreateDirectory(root);
            AtomicText.Write(Path.Combine(root, "tables.md"), report.ToString());
            TablesPage.Write(root, done);
            Console.Out.Write(report);
            Console.Out.WriteLine($"wrote {Path.Combine(root, "tables.md")} and {TablesPage.FileName}; each row's runs and results are in its own folder there");
            return ExitCodes.Success;
        }, Console.Error)));
        return command;
    }

    private static List<PaperTable> Select(string? names)
    {
        if (names is null) return [.. PaperTables.All];
        var list = new List<PaperTable>();
        foreach (string name in names.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            list.Add(PaperTables.All.FirstOrDefault(t => t.Name == name)
                     ?? throw new UsageException($"--tables: unknown table '{name}' (known: {string.Join(", ", PaperTables.All.Select(t => t.Name))})"));
        return list;
    }

    /// <summary>One row as Hush ran it: the means over the images it ran, its results folder and the settings
    /// <c>bench quality</c> ran it with.</summary>
    internal sealed record RowResult(PaperRow Row, int Images, int SetSize, double Psnr, double Ssim, double SecondsPerImage,
        string Folder, BenchQualityCommand.Settings Settings);

    /// <summary>A table's rows as Hush ran them, each on <paramref name="PerRow"/> images at most.</summary>
    internal sealed record TableResult(PaperTable Table, int PerRow, List<RowResult> Rows);

    private static RowResult RunRow(PaperTable table, PaperRow row, int perRow, int threads, string root, bool saveOutputs, bool quiet,
        CancellationToken cancel)
    {
        string set = Path.Combine(DataFolder(), row.Set);
        var files = row.Files is null
            ? Directory.EnumerateFiles(set).Where(ImageFile.IsSupportedExtension).Order(StringComparer.Ordinal).ToList()
            : row.Files.Split(',').Select(f => Path.Combine(set, f)).ToList();
        if (files.Count == 0) throw new InvalidInputException($"{set}: no images for the {table.Name} table");
        var used = files.Take(Math.Min(perRow, files.Count)).ToArray();
        string folder = Path.Combine(root, table.Name, Key(row));
        var settings = new BenchQualityCommand.Settings(null, used, row.Noise, 0, BenchQualityCommand.ParseCrop(row.Crop), null, row.Method, null, 0, threads,
            row.Settings.Length == 0 ? [] : row.Settings.Split(' '),
            folder, saveOutputs, false, Quiet: true);
        if (!quiet) Console.Error.WriteLine($"hush: {table.Name}: {row.Method} {row.Set} {row.Noise} {row.Settings} on {used.Length} of {files.Count} images");
        BenchQualityCommand.Run(settings, TextWriter.Null, Console.Error, cancel);
        var summary = QualityTables.Build(new RunStore(Path.Combine(folder, "runs")).LoadAll(Console.Error)).Summary.Single();
        return new RowResult(row, summary.Runs, files.Count, summary.Psnr, summary.Ssim, summary.Seconds, folder, settings);
    }

    /// <summary>../shared/data beside the checkout (or beside the working directory).</summary>
    private static string DataFolder()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir != null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "data");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new InvalidInputException("no shared/data folder above the working directory: the tables read the standard data sets from there");
    }

    private static string Key(PaperRow row) =>
        string.Join("_", new[] { row.Method, row.Set.Replace('/', '-'), row.Noise, row.Crop, row.Files, row.Settings.Replace(' ', '_') }
            .Where(p => !string.IsNullOrEmpty(p)));

    internal static readonly string[] Columns =
        ["method", "set", "noise", "settings", "images", "Hush dB / SSIM", "published dB / SSIM", "Δ dB", "s/image", "whole set"];

    private static string Header(PaperTable t, int perRow) =>
        $"## {t.Name}: {t.Source}\n\n{Protocol(t, perRow)}\n\n" +
        $"| {string.Join(" | ", Columns)} |\n|{string.Concat(Columns.Select(_ => "---|"))}\n";

    /// <summary>"Protocol: …. Images per row: N." under a table's heading.</summary>
    internal static string Protocol(PaperTable t, int perRow) =>
        $"Protocol: {t.Protocol}. Images per row: {(perRow == int.MaxValue ? "all" : perRow.ToString(CultureInfo.InvariantCulture))}.";

    private static string Line(RowResult r) => $"| {string.Join(" | ", Cells(r))} |\n";

    /// <summary>A row's cells as tables.md and tables.html show them: Hush's figure beside the published one.</summary>
    internal static string[] Cells(RowResult r)
    {
        var row = r.Row;
        bool whole = r.Images == r.SetSize;
        string I(FormattableString f) => f.ToString(CultureInfo.InvariantCulture);
        string published = row.Ssim is double s ? I($"{row.Psnr:0.00} / {s:0.000}") : I($"{row.Psnr:0.00}");
        string delta = whole ? I($"{r.Psnr - row.Psnr:+0.00;-0.00;0.00}") : I($"({r.Psnr - row.Psnr:+0.00;-0.00;0.00}, subset)");
        string set = row.Crop is null ? row.Set : $"{row.Set} ({row.Crop} centre crops)";
        return [row.Method, set, row.Noise, row.Settings, I($"{r.Images} of {r.SetSize}"), I($"{r.Psnr:0.000} / {r.Ssim:0.0000}"), published, delta,
            I($"{r.SecondsPerImage:0.0}"), Duration(r.SecondsPerImage * r.SetSize)];
    }

    private static string Duration(double seconds) =>
        seconds < 120 ? FormattableString.Invariant($"{seconds:0} s")
        : seconds < 7200 ? FormattableString.Invariant($"{seconds / 60:0} min")
        : FormattableString.Invariant($"{seconds / 3600:0.0} h");
}
