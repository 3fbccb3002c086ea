using System.Text.RegularExpressions;
using Hush.Denoising.Reports;
using Hush.Denoising.Training;
using Hush.Imaging;
using Hush.Testing;

namespace Hush.Denoising.Tests;

/// <summary>The HTML report page of a run (<see cref="DenoiseReport"/>): self-contained, with the run's facts, a loss
/// curve of every training report, previews within the size limit and crops at full resolution.</summary>
public class DenoiseReportTests
{
    /// <summary>A noisy grey or RGB image: a smooth ramp plus a bright textured square near the right, and noise.</summary>
    private static Image Noisy(int width, int height, int channels = 1, int seed = 3)
    {
        var rng = new Random(seed);
        var data = new float[width * height * channels];
        for (int c = 0; c < channels; c++)
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                {
                    double clean = 0.3 + 0.3 * x / width + (x >= width - 20 && x < width - 4 && y < 16 ? 0.3 * ((x + y) % 2) : 0);
                    data[(c * height + y) * width + x] = (float)Math.Clamp(clean + 0.08 * (rng.NextDouble() - 0.5), 0, 1);
                }
        return new Image(width, height, channels, data);
    }

    private static (DenoiseResult, IReadOnlyList<TrainingProgress>) Run(Image noisy, DenoiseOptions options)
    {
        var recorder = new ProgressRecorder();
        var result = new Denoiser(options).Denoise(noisy, recorder);
        return (result, recorder.Reports);
    }

    [Fact]
    public void APageHoldsTheRunsFactsAPointPerTrainingReportAndOnlyInlineImages()
    {
        var noisy = Noisy(64, 64);
        var (result, progress) = Run(noisy, new DenoiseOptions { Iterations = 20, Seed = 4242, Threads = 1 });
        string html = new DenoiseReport(noisy, result, progress) { InputPath = "in.png" }.ToHtml();

        var images = ReportPageChecks.AssertSelfContained(html);
        Assert.Equal(20, progress.Count(p => p.Phase == TrainingPhase.Training));
        Assert.Equal(20, ReportPageChecks.TrainingPoints(html));
        Assert.Contains("<td>4242</td>", html);
        Assert.Contains("<td>zs-n2n: ", html);
        Assert.Contains("held-out loss: none", html);
        Assert.Contains(DenoiseReport.HushVersion, html);
        Assert.Contains("<th>σ</th>", html); // the noise report
        // Comparison (denoised under noisy), then three crops of each: 64² at 64² and 32² crops at full resolution.
        Assert.Equal(["denoised", "noisy"], images.Take(2).Select(i => i.Alt));
        Assert.All(images.Take(2), i => Assert.Equal((64, 64), (i.Image.Width, i.Image.Height)));
        Assert.Equal(6, images.Count - 2);
        Assert.All(images.Skip(2), i => Assert.Equal((32, 32), (i.Image.Width, i.Image.Height)));
        Assert.Equal(1, images[0].Image.Channels);
        Assert.Contains("id=\"compare-range\" type=\"range\"", html);
        Assert.Contains("image-rendering:pixelated", html);
    }

    [Fact]
    public void TheCurvePlotsTheTrainingPhaseAndTheTimingsCountTheEnsemblePasses()
    {
        var noisy = Noisy(32, 32, channels: 3);
        var options = new DenoiseOptions
        {
            Method = "self2self", Iterations = 4, Seed = 1, Threads = 1, MethodOptions = new Self2SelfOptions { Passes = 3 },
        };
        var (result, progress) = Run(noisy, options);
        Assert.Equal(3, progress.Count(p => p.Phase == TrainingPhase.Ensemble));
        string html = new DenoiseReport(noisy, result, progress).ToHtml();
        Assert.Equal(4, ReportPageChecks.TrainingPoints(html));
        Assert.Matches("ensemble phase</th><td>[0-9.]+ s over 3 passes", html);
        Assert.Contains("<th>--passes</th><td>3</td>", html);
        Assert.Equal(3, ReportPageChecks.AssertSelfContained(html)[0].Image.Channels); // RGB stays colour
    }

    [Fact]
    public void AHeldOutLossIsDrawnAsASecondLine()
    {
        var noisy = Noisy(40, 40);
        var (result, progress) = Run(noisy, new DenoiseOptions { Iterations = 10, Seed = 2, Threads = 1 });
        var heldOut = new[] { new TrainingProgress(5, 10, 0.02f, TimeSpan.Zero), new TrainingProgress(10, 10, 0.015f, TimeSpan.Zero) };
        string html = new DenoiseReport(noisy, result, progress) { HeldOutLoss = heldOut }.ToHtml();
        var line = Regex.Match(html, "<polyline class=\"loss-held-out\" points=\"([^\"]*)\"");
        Assert.True(line.Success);
        Assert.Equal(2, line.Groups[1].Value.Split(' ').Length);
        Assert.DoesNotContain("held-out loss: none", html);
    }

    [Fact]
    public void AMethodThatTrainsNothingSaysSoInsteadOfACurve()
    {
        var noisy = Noisy(48, 48);
        var (result, progress) = Run(noisy, new DenoiseOptions { Method = "bm3d", Seed = 1, Threads = 1 });
        string html = new DenoiseReport(noisy, result, progress).ToHtml();
        Assert.DoesNotContain("<polyline", html);
        Assert.Contains("No training loss: bm3d", html);
        Assert.Contains("<th>iterations</th><td>— (trains nothing)</td>", html);
        ReportPageChecks.AssertSelfContained(html);
    }

    [Fact]
    public void LargeImagesArePreviewedDownscaledAndCroppedAtFullResolution()
    {
        var noisy = Noisy(100, 40);
        var denoised = new DenoiseResult(noisy.Clone(), "zs-n2n", 1, 1, 1, 0, 0.1f);
        string html = new DenoiseReport(noisy, denoised, []) { MaxPreviewSide = 32 }.ToHtml();
        var images = ReportPageChecks.AssertSelfContained(html);
        Assert.All(images.Take(2), i => Assert.Equal((25, 10), (i.Image.Width, i.Image.Height))); // factor ⌈100/32⌉ = 4
        Assert.All(images.Skip(2), i => Assert.Equal((32, 32), (i.Image.Width, i.Image.Height)));
        Assert.Contains("Shown at 1/4 scale", html);
        Assert.Contains("No training reports were collected", html);
    }

    [Fact]
    public void CropsAreChosenFromTheDenoisedImageTheSameWayEveryTime()
    {
        // 128×96 gives 32² crops tried every 16 pixels. A constant background, a gentle gradient in the top-left corner
        // and a chequered square at (64, 32): the square is the textured crop, the first constant window the flat one.
        var clean = new float[128 * 96];
        for (int y = 0; y < 96; y++)
            for (int x = 0; x < 128; x++)
                clean[y * 128 + x] = x >= 64 && x < 96 && y >= 32 && y < 64 ? (x + y) % 2
                    : x < 32 && y < 32 ? 0.2f + x / 640f : 0.2f;
        var denoised = new Image(128, 96, 1, clean);
        var view = ReportView.For(Noisy(128, 96));
        var crops = ReportCrops.Choose(denoised, view);
        Assert.Equal(crops, ReportCrops.Choose(new Image(128, 96, 1, (float[])clean.Clone()), view));
        Assert.Equal(("textured", 64, 32, 32), (crops[0].Label, crops[0].X, crops[0].Y, crops[0].Side));
        Assert.Equal(("flat", 32, 0), (crops[1].Label, crops[1].X, crops[1].Y));
        Assert.Equal(("centre", 48, 32), (crops[2].Label, crops[2].X, crops[2].Y));
    }

    [Fact]
    public void FloatsOutsideTheUnitRangeShowByTheNoisyImagesRange()
    {
        var view = ReportView.For(new Image(2, 1, 1, [100f, 4000f]));
        Assert.Equal((100.0, 4000.0), (view.Low, view.High));
        Assert.NotNull(view.RangeNote);
        var unit = ReportView.For(new Image(2, 1, 1, [0.1f, 0.9f]));
        Assert.Equal((0.0, 1.0), (unit.Low, unit.High));
        var shown = ReportPreview.Render(new Image(2, 1, 1, [100f, 4000f]), view, 0, 0, 2, 1);
        Assert.Equal(new[] { 0f, 1f }, shown.Data);
    }

    [Fact]
    public void ADenoisedImageOfAnotherSizeIsRefused()
    {
        var result = new DenoiseResult(Noisy(32, 32), "zs-n2n", 1, 1, 1, 0, 0);
        Assert.Throws<ArgumentException>(() => new DenoiseReport(Noisy(32, 16), result, []));
    }

    [Fact]
    public void WriteHtmlReplacesAtomicallyAndLeavesNoTemporaryFile()
    {
        var dir = Directory.CreateTempSubdirectory("hush-report-");
        try
        {
            string path = Path.Combine(dir.FullName, "r.html");
            File.WriteAllText(path, "old");
            var noisy = Noisy(32, 32);
            new DenoiseReport(noisy, new DenoiseResult(noisy.Clone(), "zs-n2n", 1, 7, 1, 0, 0.1f), []).WriteHtml(path);
            Assert.StartsWith("<!DOCTYPE html>", File.ReadAllText(path));
            Assert.Equal(["r.html"], Directory.GetFiles(dir.FullName).Select(Path.GetFileName));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
