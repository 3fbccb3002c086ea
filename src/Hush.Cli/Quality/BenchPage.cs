using System.Text;
using Hush.Denoising.Reports;

namespace Hush.Cli.Quality;

/// <summary>What the benchmark pages (results.html of <c>bench quality</c>, tables.html of <c>bench tables</c>) share:
/// the denoise report's frame (<see cref="ReportPage"/>: style, escaping, a content security policy that lets the page
/// fetch nothing) with a few classes of their own, written atomically beside the Markdown, CSV and JSON.</summary>
internal static class BenchPage
{
    private const string Style = """
        .grid td{word-break:normal;white-space:nowrap}.grid tbody tr:hover{background:#8881}
        .strips{display:flex;flex-wrap:wrap;gap:1rem 2.5rem}.strip .caption{margin:0 0 .25rem;font-weight:600}
        .thumbs{display:flex;flex-wrap:wrap;gap:.75rem}.thumbs figure{margin:0;text-align:center;color:var(--muted)}
        .thumbs img{display:block;border:1px solid var(--line)}.thumbs img.enlarged{image-rendering:pixelated}
        """;

    /// <summary>The page's head and its title with <paramref name="subtitle"/> under it.</summary>
    public static StringBuilder Open(string title, string subtitle)
    {
        var page = new StringBuilder(1 << 16);
        ReportPage.Open(page, title, Style);
        ReportPage.Header(page, title, subtitle);
        return page;
    }

    /// <summary>A section of a heading, a note and a table.</summary>
    public static void Table(StringBuilder page, string heading, string note, IReadOnlyList<string> columns,
        IEnumerable<IReadOnlyList<string>> rows, string rowClass)
    {
        page.Append("<section><h2>").Append(ReportPage.Text(heading)).Append("</h2><p class=\"note\">").Append(ReportPage.Text(note)).Append("</p>");
        ReportPage.Grid(page, columns, rows, rowClass);
        page.Append("</section>");
    }

    /// <summary>Closes the page and writes it to <paramref name="path"/> atomically.</summary>
    public static void Write(StringBuilder page, string path)
    {
        ReportPage.Close(page, comparisonScript: false);
        AtomicText.Write(path, page.ToString());
    }

    /// <summary>"written 2025-01-31 12:00 UTC by Hush VERSION", for the subtitle.</summary>
    public static string Written() => FormattableString.Invariant($"written {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC by Hush {DenoiseReport.HushVersion}");
}
