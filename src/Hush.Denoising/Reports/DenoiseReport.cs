using System.Reflection;
using System.Text;
using Hush.Denoising.Noise;
using Hush.Denoising.Training;
using Hush.Imaging;

namespace Hush.Denoising.Reports;

/// <summary>A self-contained HTML page about one denoising run: a before/after comparison slider, zoomed crops of both
/// images at the same places, the training loss curve, the noise report, the settings, timings and files. Everything is
/// inline (CSS, script, an SVG chart, images as PNG data URIs written by <see cref="PngEncoder"/>), and the page's
/// content security policy allows nothing from elsewhere, so it opens offline and can be mailed as one file.
/// <code>
/// var progress = new ProgressRecorder();
/// var result = new Denoiser(options).Denoise(noisy, progress);
/// new DenoiseReport(noisy, result, progress.Reports) { InputPath = "in.png" }.WriteHtml("report.html");
/// </code>
/// Previews are 8-bit: noisy and denoised are shown with one mapping to black and white (see <see cref="ToHtml"/>),
/// box-averaged to at most <see cref="MaxPreviewSide"/> pixels on the long side; the crops keep full resolution.</summary>
public sealed class DenoiseReport
{
    /// <param name="noisy">The image the run denoised (for a stack, the plane shown), in the units the denoiser saw.</param>
    /// <param name="result">The run's result; its <see cref="DenoiseResult.Output"/> must have the noisy image's size
    /// and channels.</param>
    /// <param name="progress">The progress reports the run emitted (<see cref="ProgressRecorder"/> collects them): the
    /// training phase's reports make the loss curve, the ensemble passes count in the timings.</param>
    /// <exception cref="ArgumentException">The denoised image does not match the noisy one.</exception>
    public DenoiseReport(Image noisy, DenoiseResult result, IReadOnlyList<TrainingProgress> progress)
    {
        ArgumentNullException.ThrowIfNull(noisy);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(progress);
        var o = result.Output;
        if (o.Width != noisy.Width || o.Height != noisy.Height || o.Channels != noisy.Channels)
            throw new ArgumentException($"the denoised image is {o.Width}x{o.Height}x{o.Channels}, the noisy one {noisy.Width}x{noisy.Height}x{noisy.Channels}", nameof(result));
        Noisy = noisy;
        Result = result;
        Progress = progress;
    }

    /// <summary>The noisy image.</summary>
    public Image Noisy { get; }

    /// <summary>The run's result.</summary>
    public DenoiseResult Result { get; }

    /// <summary>The run's progress reports.</summary>
    public IReadOnlyList<TrainingProgress> Progress { get; }

    /// <summary>A held-out (validation) loss per step, drawn beside the training loss; null when the run has none, which
    /// the page then says (the stopping rule's measurements, <see cref="DenoiseResult.HeldOutLoss"/>, are one).</summary>
    public IReadOnlyList<TrainingProgress>? HeldOutLoss { get; init; }

    /// <summary>The noisy image's noise report; null estimates it (<see cref="NoiseLevelReport.Estimate"/>) when the page
    /// is built.</summary>
    public NoiseLevelReport? Noise { get; init; }

    /// <summary>The input file, shown with its size when it exists; null when the image did not come from a file.</summary>
    public string? InputPath { get; init; }

    /// <summary>The output file, shown with its size when it exists.</summary>
    public string? OutputPath { get; init; }

    /// <summary>Further facts for the page's "Files" table, in order (e.g. the sample type, axes, which plane of a stack
    /// is shown, time spent reading and writing).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Details { get; init; } = [];

    /// <summary>Longest side of the comparison previews in pixels (default 1600): larger images are box-averaged by the
    /// smallest integer factor that fits, so the page stays a few megabytes.</summary>
    public int MaxPreviewSide { get; init; } = 1600;

    /// <summary>The Hush version that writes the page (the assemblies' informational version).</summary>
    public static string HushVersion { get; } =
        typeof(DenoiseReport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>The page. Noisy and denoised previews map the same sample range to black and white: [0,1] when every
    /// noisy sample lies within it, else the noisy image's min..max. RGB images show in colour; any other channel count
    /// shows its first channel in grey (the page says so).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="MaxPreviewSide"/> is below 16.</exception>
    public string ToHtml()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPreviewSide, 16);
        var view = ReportView.For(Noisy);
        var page = new StringBuilder(1 << 16);
        string title = "Hush report" + (InputPath is null ? "" : ": " + Path.GetFileName(InputPath));
        ReportPage.Open(page, title);
        ReportPage.Header(page, title,
            $"{Result.Method}, seed {Result.Seed}, {Result.Threads} thread{(Result.Threads == 1 ? "" : "s")}, {Noisy.Width}×{Noisy.Height}; written {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC by Hush {HushVersion}");
        var crops = ReportCrops.Choose(Result.Output, view);
        Comparison(page, view, crops);
        Crops(page, view, crops);
        LossCurve(page);
        ReportSections.Noise(page, Noise ?? Estimated(), Result);
        ReportSections.Settings(page, Result);
        ReportSections.Timings(page, Result, Progress);
        ReportSections.Files(page, this);
        ReportPage.Close(page);
        return page.ToString();
    }

    /// <summary>Writes <see cref="ToHtml"/> to <paramref name="path"/> as UTF-8, atomically: a temporary file beside it,
    /// then a rename, so a failed write leaves no partial page and an existing file intact until the new one is whole.</summary>
    public void WriteHtml(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(ToHtml());
        Models.AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    private NoiseLevelReport? Estimated()
    {
        try
        {
            return NoiseLevelReport.Estimate(Noisy);
        }
        catch (ArgumentException)
        {
            return null; // too small to estimate: the section says so
        }
    }

    private void Comparison(StringBuilder page, ReportView view, ReportCrop[] crops)
    {
        int factor = ReportPreview.DownscaleFactor(Noisy.Width, Noisy.Height, MaxPreviewSide);
        var before = ReportPreview.Render(Noisy, view, 0, 0, Noisy.Width, Noisy.Height, factor);
        var after = ReportPreview.Render(Result.Output, view, 0, 0, Noisy.Width, Noisy.Height, factor);
        // A small image is enlarged by a whole factor (pixels kept sharp) so the comparison is not a thumbnail.
        int zoom = Math.Max(1, 640 / Math.Max(before.Width, before.Height));
        page.Append("<section><h2>Before and after</h2><p class=\"note\">Drag across the image or move the slider: left of the line is the noisy input, right of it the denoised output.")
            .Append(factor > 1 ? $" Shown at 1/{factor} scale ({before.Width}×{before.Height}, each pixel the mean of {factor}×{factor}); the crops below are at full resolution." : "")
            .Append(zoom > 1 ? $" Shown enlarged {zoom}× without smoothing." : "")
            .Append(Notes(view)).Append("</p>");
        page.Append("<div id=\"compare\" class=\"compare").Append(zoom > 1 ? " enlarged" : "").Append("\" style=\"width:")
            .Append(before.Width * zoom).Append("px\">")
            .Append("<img id=\"compare-denoised\" alt=\"denoised\" draggable=\"false\" src=\"").Append(ReportPreview.DataUri(after)).Append("\">")
            .Append("<img id=\"compare-noisy\" alt=\"noisy\" draggable=\"false\" style=\"clip-path:inset(0 50% 0 0)\" src=\"").Append(ReportPreview.DataUri(before)).Append("\">")
            .Append("<div id=\"compare-divider\" class=\"divider\" style=\"left:50%\"></div>");
        for (int i = 0; i < crops.Length; i++)
        {
            var c = crops[i];
            page.Append(FormattableString.Invariant(
                $"<div class=\"crop-mark\" title=\"{c.Label}\" style=\"left:{100.0 * c.X / Noisy.Width:0.###}%;top:{100.0 * c.Y / Noisy.Height:0.###}%;width:{100.0 * c.Side / Noisy.Width:0.###}%;height:{100.0 * c.Side / Noisy.Height:0.###}%\"><span>{i + 1}</span></div>"));
        }
        page.Append("<span class=\"tag left\">noisy</span><span class=\"tag right\">denoised</span></div>")
            .Append("<label class=\"slider\">noisy <input id=\"compare-range\" type=\"range\" min=\"0\" max=\"100\" step=\"0.1\" value=\"50\" aria-label=\"share of the noisy image shown\"> denoised</label></section>");
    }

    private void Crops(StringBuilder page, ReportView view, ReportCrop[] crops)
    {
        int side = crops[0].Side, zoom = Math.Max(1, 256 / side);
        page.Append("<section><h2>Zoomed crops</h2><p class=\"note\">")
            .Append(ReportPage.Text($"{side}×{side} pixels at full resolution, enlarged {zoom}× without smoothing; numbered as marked on the comparison."))
            .Append("</p><div class=\"crops\">");
        for (int i = 0; i < crops.Length; i++)
        {
            var c = crops[i];
            page.Append("<figure class=\"crop\"><figcaption><b>").Append(i + 1).Append(". ").Append(c.Label).Append("</b> ")
                .Append(ReportPage.Text($"at ({c.X}, {c.Y}): {c.Why}")).Append("</figcaption><div class=\"pair\">");
            foreach (var (name, image) in new[] { ("noisy", Noisy), ("denoised", Result.Output) })
                page.Append("<div><img class=\"zoom\" alt=\"").Append(name).Append(' ').Append(c.Label).Append("\" width=\"").Append(side * zoom)
                    .Append("\" height=\"").Append(side * zoom).Append("\" src=\"")
                    .Append(ReportPreview.DataUri(ReportPreview.Render(image, view, c.X, c.Y, c.Side, c.Side))).Append("\"><div>").Append(name).Append("</div></div>");
            page.Append("</div></figure>");
        }
        page.Append("</div></section>");
    }

    private void LossCurve(StringBuilder page)
    {
        var training = Progress.Where(p => p.Phase == TrainingPhase.Training).ToArray();
        page.Append("<section><h2>Training loss</h2>");
        string? svg = LossCurveSvg.Build(training, HeldOutLoss);
        if (svg is null)
        {
            page.Append("<p class=\"note\">").Append(ReportPage.Text(training.Length == 0
                ? "No training reports were collected for this run."
                : $"No training loss: {Result.Method} sent {training.Length} progress reports without a loss (it trains no network).")).Append("</p></section>");
            return;
        }
        int points = LossCurveSvg.PointCount(training), dropped = LossCurveSvg.Dropped(training);
        page.Append("<div class=\"chart\">").Append(svg).Append("</div><p class=\"note\"><span class=\"key training\"></span> training loss, ")
            .Append(ReportPage.Text(points < training.Length - dropped
                ? $"{training.Length - dropped} reports averaged in runs to {points} points"
                : $"{points} reports, one a step"))
            .Append(dropped > 0 ? ReportPage.Text($" ({dropped} without a finite loss left out)") : "")
            .Append(HeldOutLoss is { Count: > 0 } ? "; <span class=\"key held-out\"></span> held-out loss." : "; held-out loss: none (the run reported no validation loss).")
            .Append("</p></section>");
    }

    private string Notes(ReportView view)
    {
        string notes = "";
        if (view.ChannelNote(Noisy) is string channels) notes += " " + ReportPage.Text(char.ToUpperInvariant(channels[0]) + channels[1..]) + ".";
        if (view.RangeNote is string range) notes += " " + ReportPage.Text(char.ToUpperInvariant(range[0]) + range[1..]) + ".";
        return notes;
    }
}
