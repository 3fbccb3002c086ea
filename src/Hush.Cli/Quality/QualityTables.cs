using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hush.Cli.Quality;

/// <summary>One row of the results table (one run). PSNR is rounded to 4 decimals, SSIM to 6, seconds to 3,
/// so results.csv and results.json hold the same numbers. Δ is this run minus the reference.</summary>
[JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)]
internal sealed record QualityRow(string Method, string Options, string Image, string Noise,
    double NoisyPsnr, double NoisySsim, double Psnr, double Ssim, double? RefPsnr, double? RefSsim,
    double? DeltaPsnr, double? DeltaSsim, double Seconds, int Iterations, string Seed, int Threads);

/// <summary>Means over the runs of one (method, options, noise). Reference means and Δ only when every run
/// in the group has a reference score.</summary>
[JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)]
internal sealed record QualitySummary(string Method, string Options, string Noise, int Runs,
    double NoisyPsnr, double Psnr, double Ssim, double? RefPsnr, double? RefSsim, double? DeltaPsnr, double? DeltaSsim,
    double Seconds, int Iterations);

/// <summary>The whole table, as written to results.json and printed by --json.</summary>
internal sealed record QualityReport(int SchemaVersion, QualityRow[] Rows, QualitySummary[] Summary);

/// <summary>Builds the table from run records and writes it as results.md, results.csv and results.json.</summary>
internal static class QualityTables
{
    public static readonly string[] CsvHeader =
    [
        "method", "options", "image", "noise", "noisy_psnr", "noisy_ssim", "psnr", "ssim", "ref_psnr", "ref_ssim",
        "delta_psnr", "delta_ssim", "seconds", "iterations", "seed", "threads",
    ];

    public static QualityReport Build(IEnumerable<QualityRun> runs)
    {
        var sorted = Sorted(runs);
        var rows = sorted.Select(ToRow).ToArray();
        var summary = sorted.GroupBy(r => (r.Method, r.Options, r.Noise)).Select(Summarise).ToArray();
        return new QualityReport(1, rows, summary);
    }

    /// <summary>The runs in the order of the report's rows: <see cref="Build"/>'s rows are these, one for one.</summary>
    public static List<QualityRun> Sorted(IEnumerable<QualityRun> runs) => runs.Order(RunOrder.Instance).ToList();

    public static void WriteAll(QualityReport report, string folder)
    {
        AtomicText.Write(Path.Combine(folder, "results.json"), JsonSerializer.Serialize(report, CliJson.Indented.QualityReport) + "\n");
        AtomicText.Write(Path.Combine(folder, "results.csv"), Csv(report));
        AtomicText.Write(Path.Combine(folder, "results.md"), Markdown(report));
    }

    private static QualityRow ToRow(QualityRun r) => new(r.Method, r.Options, r.Image, r.Noise,
        Db(r.NoisyPsnr), Unit(r.NoisySsim), Db(r.Psnr), Unit(r.Ssim), Db(r.RefPsnr), Unit(r.RefSsim),
        Db(r.Psnr - r.RefPsnr), Unit(r.Ssim - r.RefSsim), Sec(r.Seconds), r.Iterations, r.Seed, r.Threads);

    private static QualitySummary Summarise(IGrouping<(string Method, string Options, string Noise), QualityRun> g)
    {
        bool refs = g.All(r => r.RefPsnr is not null && r.RefSsim is not null);
        double? RefMean(Func<QualityRun, double> f) => refs ? g.Average(f) : null;
        return new QualitySummary(g.Key.Method, g.Key.Options, g.Key.Noise, g.Count(),
            Db(g.Average(r => r.NoisyPsnr)), Db(g.Average(r => r.Psnr)), Unit(g.Average(r => r.Ssim)),
            Db(RefMean(r => r.RefPsnr!.Value)), Unit(RefMean(r => r.RefSsim!.Value)),
            Db(RefMean(r => r.Psnr - r.RefPsnr!.Value)), Unit(RefMean(r => r.Ssim - r.RefSsim!.Value)),
            Sec(g.Average(r => r.Seconds)), g.First().Iterations);
    }

    public static string Csv(QualityReport report)
    {
        var sb = new StringBuilder();
        sb.Append(string.Join(',', CsvHeader)).Append('\n');
        foreach (var r in report.Rows)
        {
            string[] cells =
            [
                r.Method, r.Options, r.Image, r.Noise, N(r.NoisyPsnr), N(r.NoisySsim), N(r.Psnr), N(r.Ssim), N(r.RefPsnr),
                N(r.RefSsim), N(r.DeltaPsnr), N(r.DeltaSsim), N(r.Seconds), r.Iterations.ToString(CultureInfo.InvariantCulture),
                r.Seed, r.Threads.ToString(CultureInfo.InvariantCulture),
            ];
            sb.Append(string.Join(',', cells.Select(CsvCell))).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>The note above the tables: what the numbers are.</summary>
    public const string Units = "PSNR in dB (10·log10(1/MSE) on [0,1]); SSIM as scikit-image (Gaussian σ=1.5); Δ = Hush − reference; seconds of training.";

    public static string Markdown(QualityReport report)
    {
        bool refs = HasReference(report);
        var sb = new StringBuilder("# hush bench quality\n\n");
        sb.Append(Units).Append("\n\n");
        sb.Append("## Mean per method, options and noise\n\n");
        Header(sb, SummaryColumns(refs));
        foreach (var s in report.Summary) Line(sb, SummaryCells(s, refs));
        sb.Append("\n## Per image\n\n");
        Header(sb, RowColumns(refs));
        foreach (var r in report.Rows) Line(sb, RowCells(r, refs));
        return sb.ToString();
    }

    /// <summary>Whether the tables have the reference columns (some run has a reference score).</summary>
    public static bool HasReference(QualityReport report) => report.Rows.Any(r => r.RefPsnr is not null);

    public static string[] SummaryColumns(bool refs) =>
        ["method", "options", "noise", "runs", "noisy dB", "PSNR dB", "SSIM", .. Refs(refs), "s/run", "iterations"];

    /// <summary>A summary row's cells as results.md and results.html show them.</summary>
    public static string[] SummaryCells(QualitySummary s, bool refs) =>
        [s.Method, Opt(s.Options), s.Noise, s.Runs.ToString(CultureInfo.InvariantCulture), F(s.NoisyPsnr, "0.000"),
            F(s.Psnr, "0.000"), F(s.Ssim, "0.0000"), .. RefCells(refs, s.RefPsnr, s.DeltaPsnr, s.RefSsim, s.DeltaSsim),
            F(s.Seconds, "0.0"), s.Iterations.ToString(CultureInfo.InvariantCulture)];

    public static string[] RowColumns(bool refs) =>
        ["method", "options", "image", "noise", "noisy dB", "PSNR dB", "SSIM", .. Refs(refs), "s", "iterations", "seed"];

    /// <summary>A run's cells as results.md and results.html show them.</summary>
    public static string[] RowCells(QualityRow r, bool refs) =>
        [r.Method, Opt(r.Options), r.Image, r.Noise, F(r.NoisyPsnr, "0.000"), F(r.Psnr, "0.000"), F(r.Ssim, "0.0000"),
            .. RefCells(refs, r.RefPsnr, r.DeltaPsnr, r.RefSsim, r.DeltaSsim), F(r.Seconds, "0.0"),
            r.Iterations.ToString(CultureInfo.InvariantCulture), r.Seed];

    /// <summary>The summary table alone, for the terminal.</summary>
    public static string SummaryMarkdown(QualityReport report)
    {
        string md = Markdown(report);
        int start = md.IndexOf("| method", StringComparison.Ordinal), end = md.IndexOf("\n## Per image", StringComparison.Ordinal);
        return md[start..end];
    }

    private static string[] Refs(bool refs) => refs ? ["ref dB", "Δ dB", "ref SSIM", "Δ SSIM"] : [];

    private static string[] RefCells(bool refs, double? refPsnr, double? dPsnr, double? refSsim, double? dSsim) =>
        refs ? [F(refPsnr, "0.000"), F(dPsnr, "+0.000;-0.000;0.000"), F(refSsim, "0.0000"), F(dSsim, "+0.0000;-0.0000;0.0000")] : [];

    private static void Header(StringBuilder sb, string[] names)
    {
        Line(sb, names);
        sb.Append('|').Append(string.Concat(names.Select(_ => "---|"))).Append('\n');
    }

    private static void Line(StringBuilder sb, string[] cells) =>
        sb.Append("| ").Append(string.Join(" | ", cells.Select(c => c.Replace("|", "\\|", StringComparison.Ordinal)))).Append(" |\n");

    public static string Opt(string options) => options.Length == 0 ? "defaults" : options;

    private static string F(double? v, string format) => v is double d ? d.ToString(format, CultureInfo.InvariantCulture) : "";

    private static string N(double? v) => v is double d ? d.ToString("R", CultureInfo.InvariantCulture) : "";

    private static string CsvCell(string cell) =>
        cell.IndexOfAny([',', '"', '\n', '\r']) < 0 ? cell : $"\"{cell.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    private static double Db(double v) => Math.Round(v, 4);

    private static double? Db(double? v) => v is double d ? Math.Round(d, 4) : null;

    private static double Unit(double v) => Math.Round(v, 6);

    private static double? Unit(double? v) => v is double d ? Math.Round(d, 6) : null;

    private static double Sec(double v) => Math.Round(v, 3);

    /// <summary>Method, then each setting by value (numerically), then noise (kind, then level), image, seed.</summary>
    private sealed class RunOrder : IComparer<QualityRun>
    {
        public static readonly RunOrder Instance = new();

        public int Compare(QualityRun? a, QualityRun? b)
        {
            if (a is null || b is null) return (a is null).CompareTo(b is null);
            int c = string.CompareOrdinal(a.Method, b.Method);
            foreach (var p in SweepParameters.All.Where(p => p.InOptionsLabel))
                if (c == 0) c = Value(a, p.Name).CompareTo(Value(b, p.Name));
            if (c == 0) c = string.CompareOrdinal(a.Options, b.Options);
            if (c == 0) c = NoiseKey(a.Noise).CompareTo(NoiseKey(b.Noise));
            if (c == 0) c = string.CompareOrdinal(a.Image, b.Image);
            if (c == 0) c = Value(a, "seed").CompareTo(Value(b, "seed"));
            return c == 0 ? string.CompareOrdinal(a.Key, b.Key) : c;
        }

        private static double Value(QualityRun r, string name) =>
            r.Settings.TryGetValue(name, out string? v) && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d : double.NaN;

        private static (string, double) NoiseKey(string noise)
        {
            try
            {
                var spec = NoiseSpec.Parse(noise);
                return (spec.Kind.ToString(), spec.Level);
            }
            catch (UsageException)
            {
                return (noise, 0);
            }
        }
    }
}
