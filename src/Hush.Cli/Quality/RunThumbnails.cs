using System.Globalization;
using System.Text;
using Hush.Denoising.Reports;
using Hush.Imaging;

namespace Hush.Cli.Quality;

/// <summary>The thumbnails of a benchmark page: for each run whose denoised image was saved (<c>outputs/KEY.png</c> in
/// its results folder) and whose input is known, its clean, noisy and denoised images side by side, each with its PSNR,
/// as small 8-bit PNG data URIs made by the denoise report's preview code. At most <paramref name="maxRuns"/> runs and
/// about <paramref name="maxBytes"/> characters of images (a full-size Kodak run takes about 130 kB), so a page of
/// thousands of runs stays a few megabytes; the section says when it stopped short.</summary>
internal sealed class RunThumbnails(int maxRuns = RunThumbnails.DefaultMaxRuns, long maxBytes = RunThumbnails.DefaultMaxBytes)
{
    /// <summary>Longest side of a thumbnail in pixels: larger images are box-averaged by a whole factor.</summary>
    public const int MaxSide = 160;

    public const int DefaultMaxRuns = 200;

    /// <summary>Characters of data URIs after which no further run gets thumbnails.</summary>
    public const long DefaultMaxBytes = 4 << 20;

    private readonly StringBuilder strips = new();
    private readonly Dictionary<QualityPair, Inputs?> inputs = [];
    private long bytes;
    private int saved, shown, unknown, unreadable;
    private readonly List<string> problems = [];

    private sealed record Inputs(Image Clean, ReportView View, int Factor, string CleanUri, string NoisyUri);

    /// <summary>Adds <paramref name="run"/>'s thumbnails when <paramref name="folder"/>/outputs/KEY.png exists and
    /// <paramref name="pair"/> (its input, null when this command line does not have it) can be read, under the caption
    /// <paramref name="caption"/>. A missing or unreadable file never fails the benchmark: the section counts it.</summary>
    public void Add(string folder, QualityRun run, QualityPair? pair, string caption)
    {
        string output = Path.Combine(folder, "outputs", run.Key + ".png");
        if (!File.Exists(output)) return;
        saved++;
        if (pair is null)
        {
            unknown++;
            return;
        }
        if (shown >= maxRuns || bytes >= maxBytes) return;
        try
        {
            if (Load(pair) is not { } input) return;
            var denoised = ImageFile.Read(output);
            var clean = input.Clean;
            if (denoised.Width != clean.Width || denoised.Height != clean.Height || denoised.Channels != clean.Channels)
                throw new ImageFormatException($"is {denoised.Width}x{denoised.Height}x{denoised.Channels}, its clean image {clean.Width}x{clean.Height}x{clean.Channels}", output);
            string denoisedUri = ReportPreview.DataUri(ReportPreview.Render(denoised, input.View, 0, 0, clean.Width, clean.Height, input.Factor));
            Strip(run, caption, input, denoisedUri);
            bytes += input.CleanUri.Length + input.NoisyUri.Length + denoisedUri.Length;
            shown++;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ImageFormatException)
        {
            Unreadable(e.Message);
        }
    }

    /// <summary>The section: a note on what is shown (or why nothing is), then one strip per run.</summary>
    public void WriteSection(StringBuilder page)
    {
        page.Append("<section><h2>Thumbnails</h2><p class=\"note\">").Append(ReportPage.Text(Note())).Append("</p>");
        foreach (string problem in problems.Take(5)) page.Append("<p class=\"note\">").Append(ReportPage.Text(problem)).Append("</p>");
        page.Append("<div class=\"strips\">").Append(strips).Append("</div></section>");
    }

    private string Note()
    {
        if (saved == 0)
            return "No thumbnails: no run's denoised image was saved. Thumbnails need --save-outputs (into a new folder, or after deleting runs/: finished runs are not computed again).";
        var note = new StringBuilder(I($"Clean, noisy and denoised, box-averaged to at most {MaxSide} px on the long side and shown as 8-bit, each with its PSNR against the clean image: {shown} of the {saved} runs with a saved output."));
        if (shown + unknown + unreadable < saved)
            note.Append(I($" Only the first {maxRuns} runs, or about {Math.Max(1, maxBytes >> 20)} MB of images, get thumbnails, to keep the page small."));
        if (unknown > 0)
            note.Append(I($" {unknown} saved run{(unknown == 1 ? " is" : "s are")} not part of this command line, so {(unknown == 1 ? "its" : "their")} inputs are not known here."));
        if (unreadable > 0) note.Append(I($" {unreadable} could not be read:"));
        return note.ToString();
    }

    private void Unreadable(string message)
    {
        unreadable++;
        problems.Add(message);
    }

    /// <summary>The pair's clean and noisy thumbnails, made once for all the runs on it; null when it cannot be read.</summary>
    private Inputs? Load(QualityPair pair)
    {
        if (inputs.TryGetValue(pair, out var known))
        {
            if (known is null) unreadable++;
            return known;
        }
        Inputs? made = null;
        try
        {
            var (noisy, clean) = pair.Load();
            var view = ReportView.For(clean); // the clean image's range, so clipped and unclipped noise show alike
            int factor = ReportPreview.DownscaleFactor(clean.Width, clean.Height, MaxSide);
            string Uri(Image image) => ReportPreview.DataUri(ReportPreview.Render(image, view, 0, 0, clean.Width, clean.Height, factor));
            made = new Inputs(clean, view, factor, Uri(clean), Uri(noisy));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ImageFormatException or UsageException)
        {
            Unreadable($"{pair.Image} {pair.Noise}: {e.Message}");
        }
        inputs[pair] = made;
        return made;
    }

    private void Strip(QualityRun run, string caption, Inputs input, string denoisedUri)
    {
        int width = (input.Clean.Width + input.Factor - 1) / input.Factor, height = (input.Clean.Height + input.Factor - 1) / input.Factor;
        int zoom = Math.Max(1, MaxSide / Math.Max(width, height)); // a small crop is enlarged by a whole factor, pixels kept sharp
        string notes = string.Join(" ", new[] { input.View.ChannelNote(input.Clean), input.View.RangeNote }.OfType<string>());
        strips.Append("<div class=\"strip\"><p class=\"caption\">").Append(ReportPage.Text(caption))
            .Append(notes.Length > 0 ? " <span class=\"note\">(" + ReportPage.Text(notes) + ")</span>" : "").Append("</p><div class=\"thumbs\">");
        foreach (var (name, uri, score) in new[]
                 {
                     ("clean", input.CleanUri, "reference"),
                     ("noisy", input.NoisyUri, I($"{run.NoisyPsnr:0.00} dB")),
                     ("denoised", denoisedUri, I($"{run.Psnr:0.00} dB")),
                 })
        {
            strips.Append("<figure><img alt=\"").Append(name).Append(' ').Append(ReportPage.Text(run.Key)).Append("\" width=\"").Append(width * zoom)
                .Append("\" height=\"").Append(height * zoom).Append(zoom > 1 ? "\" class=\"enlarged" : "").Append("\" src=\"").Append(uri)
                .Append("\"><figcaption>").Append(name).Append("<br>").Append(score).Append("</figcaption></figure>");
        }
        strips.Append("</div></div>");
    }

    private static string I(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
