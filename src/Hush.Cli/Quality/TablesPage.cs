using System.Globalization;
using Hush.Cli.Commands;

namespace Hush.Cli.Quality;

/// <summary>tables.html of <c>bench tables</c>: each paper table as tables.md has it (Hush's figure beside the published
/// one), then the thumbnails of the rows' runs whose denoised images were saved (<c>--save-outputs</c>). Each row's
/// folder has its own results.html too.</summary>
internal static class TablesPage
{
    public const string FileName = "tables.html";

    public static void Write(string root, IReadOnlyList<BenchTablesCommand.TableResult> tables)
    {
        int rows = tables.Sum(t => t.Rows.Count);
        var page = BenchPage.Open("hush bench tables", string.Create(CultureInfo.InvariantCulture,
            $"{rows} row{(rows == 1 ? "" : "s")} of {tables.Count} table{(tables.Count == 1 ? "" : "s")} in {Path.GetFullPath(root)}; {BenchPage.Written()}"));
        foreach (var t in tables)
            BenchPage.Table(page, $"{t.Table.Name}: {t.Table.Source}", BenchTablesCommand.Protocol(t.Table, t.PerRow),
                BenchTablesCommand.Columns, t.Rows.Select(BenchTablesCommand.Cells), "row");
        var thumbnails = new RunThumbnails();
        foreach (var t in tables)
            foreach (var row in t.Rows)
            {
                var pairs = BenchQualityCommand.Plan(row.Settings).PairsByKey();
                var runs = QualityTables.Sorted(new RunStore(Path.Combine(row.Folder, "runs")).LoadAll(TextWriter.Null));
                foreach (var run in runs)
                    thumbnails.Add(row.Folder, run, pairs.GetValueOrDefault(run.Key),
                        $"{t.Table.Name} table · {run.Method} {QualityTables.Opt(run.Options)} · {run.Image} · {run.Noise}");
            }
        thumbnails.WriteSection(page);
        BenchPage.Write(page, Path.Combine(root, FileName));
    }
}
