using System.Net;
using System.Text;

namespace Hush.Denoising.Reports;

/// <summary>The page's frame: the head with its inline style and a content security policy that allows nothing but
/// inline style and script and data: images (so the page can fetch nothing, even by mistake), and the comparison
/// slider's script at the end of the body. The CLI's benchmark pages are built on the same frame.</summary>
internal static class ReportPage
{
    /// <summary><paramref name="text"/> escaped for HTML text and attribute values.</summary>
    public static string Text(string text) => WebUtility.HtmlEncode(text);

    /// <summary>The head (with <paramref name="extraStyle"/> after the shared style, for a page's own classes) and the
    /// body's start.</summary>
    public static void Open(StringBuilder page, string title, string extraStyle = "")
    {
        page.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<meta name=\"generator\" content=\"Hush ").Append(Text(DenoiseReport.HushVersion)).Append("\">")
            .Append("<title>").Append(Text(title)).Append("</title><style>").Append(Style).Append(extraStyle).Append("</style></head><body>\n");
    }

    /// <summary>The page's title and the line under it.</summary>
    public static void Header(StringBuilder page, string title, string subtitle) =>
        page.Append("<header><h1>").Append(Text(title)).Append("</h1><p class=\"sub\">").Append(Text(subtitle)).Append("</p></header>");

    /// <summary>The body's end, after the comparison slider's script unless <paramref name="comparisonScript"/> is false
    /// (a page without a comparison).</summary>
    public static void Close(StringBuilder page, bool comparisonScript = true)
    {
        if (comparisonScript) page.Append("<script>").Append(Script).Append("</script>");
        page.Append("</body></html>\n");
    }

    /// <summary>A table with a header row of <paramref name="columns"/> and one row per entry of <paramref name="rows"/>
    /// (each row's class <paramref name="rowClass"/> when given), every cell escaped.</summary>
    public static void Grid(StringBuilder page, IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<string>> rows, string? rowClass = null)
    {
        page.Append("<table class=\"grid\"><thead><tr>");
        foreach (string column in columns) page.Append("<th>").Append(Text(column)).Append("</th>");
        page.Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            page.Append(rowClass is null ? "<tr>" : $"<tr class=\"{Text(rowClass)}\">");
            foreach (string cell in row) page.Append("<td>").Append(Text(cell)).Append("</td>");
            page.Append("</tr>");
        }
        page.Append("</tbody></table>");
    }

    /// <summary>A section of a heading, an optional note and a table of names and values.</summary>
    public static void Table(StringBuilder page, string heading, IEnumerable<(string Name, string Value)> rows, string? note = null)
    {
        page.Append("<section><h2>").Append(Text(heading)).Append("</h2>");
        if (note is not null) page.Append("<p class=\"note\">").Append(Text(note)).Append("</p>");
        page.Append("<table>");
        foreach (var (name, value) in rows)
            page.Append("<tr><th>").Append(Text(name)).Append("</th><td>").Append(Text(value)).Append("</td></tr>");
        page.Append("</table></section>");
    }

    private const string Style = """
        :root{color-scheme:light dark;--fg:#1d1f24;--bg:#fbfbfa;--muted:#5d6470;--line:#d5d8dd;--accent:#c2410c;--held:#2563eb}
        @media (prefers-color-scheme:dark){:root{--fg:#e6e6e3;--bg:#16181c;--muted:#9aa1ab;--line:#3a3f47}}
        body{font:15px/1.5 system-ui,sans-serif;color:var(--fg);background:var(--bg);margin:0 auto;padding:1.5rem;max-width:1680px}
        h1{font-size:1.5rem;margin:0}h2{font-size:1.15rem;margin:2rem 0 .5rem;border-bottom:1px solid var(--line)}
        .sub,.note{color:var(--muted);margin:.25rem 0 .75rem}
        .compare{position:relative;max-width:100%;user-select:none;touch-action:none;cursor:ew-resize;line-height:0}
        .compare.enlarged img{image-rendering:pixelated}
        .compare img{display:block;width:100%;height:auto;image-rendering:auto}
        .compare #compare-noisy{position:absolute;left:0;top:0}
        .divider{position:absolute;top:0;bottom:0;width:2px;margin-left:-1px;background:#fff;box-shadow:0 0 0 1px #000a;pointer-events:none}
        .crop-mark{position:absolute;outline:1px dashed #ffffffc0;box-shadow:0 0 0 1px #0008;pointer-events:none}
        .crop-mark span{position:absolute;left:2px;top:2px;font:bold 12px/1 system-ui;color:#fff;text-shadow:0 0 2px #000}
        .tag{position:absolute;top:6px;font:12px/1.4 system-ui;background:#000a;color:#fff;padding:0 6px;border-radius:3px}
        .tag.left{left:6px}.tag.right{right:6px}
        .slider{display:flex;gap:.5rem;align-items:center;margin-top:.5rem;color:var(--muted)}
        .slider input{flex:1;max-width:480px}
        .crops{display:flex;flex-wrap:wrap;gap:1.5rem}
        .crop{margin:0}.crop figcaption{margin-bottom:.25rem;max-width:540px}
        .pair{display:flex;gap:.5rem;text-align:center;color:var(--muted)}
        img.zoom{image-rendering:pixelated;image-rendering:crisp-edges;display:block;border:1px solid var(--line)}
        .chart{max-width:760px}.chart svg{width:100%;height:auto;font:12px system-ui;fill:var(--fg)}
        .plot-area{fill:none;stroke:var(--line)}.grid{stroke:var(--line);stroke-dasharray:2 3}
        .tick-y{text-anchor:end;dominant-baseline:middle}.tick-x,.axis-title{text-anchor:middle}
        polyline{fill:none;stroke-width:1.5;vector-effect:non-scaling-stroke}
        .loss-training{stroke:var(--accent)}.loss-held-out{stroke:var(--held)}
        .key{display:inline-block;width:1.2em;height:.2em;vertical-align:middle}.key.training{background:var(--accent)}.key.held-out{background:var(--held)}
        table{border-collapse:collapse}th,td{text-align:left;vertical-align:top;padding:.2rem 1rem .2rem 0;border-bottom:1px solid var(--line)}
        th{font-weight:600;white-space:nowrap}td{font-family:ui-monospace,monospace;font-size:.9em;word-break:break-all}
        """;

    /// <summary>The comparison: the range input and a drag across the image both set the noisy overlay's clip and the
    /// divider's place. Without script the page still shows half of each.</summary>
    private const string Script = """
        (function () {
          var box = document.getElementById('compare'), range = document.getElementById('compare-range');
          var noisy = document.getElementById('compare-noisy'), divider = document.getElementById('compare-divider');
          if (!box || !range || !noisy || !divider) return;
          function show(percent) {
            var p = Math.max(0, Math.min(100, percent));
            noisy.style.clipPath = 'inset(0 ' + (100 - p) + '% 0 0)';
            divider.style.left = p + '%';
            if (+range.value !== p) range.value = p;
          }
          function at(event) {
            var r = box.getBoundingClientRect();
            show(100 * (event.clientX - r.left) / r.width);
          }
          var dragging = false;
          range.addEventListener('input', function () { show(+range.value); });
          // No default action: a press on an image would otherwise start dragging the image itself and cancel the pointer.
          box.addEventListener('pointerdown', function (e) { e.preventDefault(); dragging = true; box.setPointerCapture(e.pointerId); at(e); });
          box.addEventListener('dragstart', function (e) { e.preventDefault(); });
          box.addEventListener('pointermove', function (e) { if (dragging) at(e); });
          box.addEventListener('pointerup', function () { dragging = false; });
          box.addEventListener('pointercancel', function () { dragging = false; });
          show(+range.value);
        })();
        """;
}
