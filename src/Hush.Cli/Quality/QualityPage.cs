using System.Globalization;

namespace Hush.Cli.Quality;

/// <summary>results.html of <c>bench quality</c>: the summary and per-run tables of results.md, then the thumbnails of
/// every run whose denoised image was saved (<see cref="RunThumbnails"/>). Self-contained: one file that opens offline.</summary>
internal static class QualityPage
{
    public const string FileName = "results.html";

    /// <summary>Writes <paramref name="folder"/>/results.html for <paramref name="runs"/> (every run in the folder) and
    /// <paramref name="report"/> (built from them); <paramref name="pairs"/> gives each planned run's input by key.</summary>
    public static void Write(string folder, IEnumerable<QualityRun> runs, QualityReport report, IReadOnlyDictionary<string, QualityPair> pairs)
    {
        var sorted = QualityTables.Sorted(runs);
        bool refs = QualityTables.HasReference(report);
        int configurations = report.Summary.Select(s => (s.Method, s.Options)).Distinct().Count();
        var page = BenchPage.Open("hush bench quality", string.Create(CultureInfo.InvariantCulture,
            $"{report.Rows.Length} run{(report.Rows.Length == 1 ? "" : "s")} of {configurations} method/settings in {Path.GetFullPath(folder)}; {BenchPage.Written()}"));
        BenchPage.Table(page, "Mean per method, options and noise", QualityTables.Units,
            QualityTables.SummaryColumns(refs), report.Summary.Select(s => QualityTables.SummaryCells(s, refs)), "summary");
        BenchPage.Table(page, "Per image", "One row per run, as results.csv has them.",
            QualityTables.RowColumns(refs), report.Rows.Select(r => QualityTables.RowCells(r, refs)), "run");
        var thumbnails = new RunThumbnails();
        foreach (var run in sorted)
            thumbnails.Add(folder, run, pairs.GetValueOrDefault(run.Key),
                $"{run.Method} {QualityTables.Opt(run.Options)} · {run.Image} · {run.Noise}");
        thumbnails.WriteSection(page);
        BenchPage.Write(page, Path.Combine(folder, FileName));
    }
}
