using System.Globalization;
using System.Text.RegularExpressions;
using Hush.Cli.Quality;
using Hush.Imaging;
using Hush.Testing;
using static Hush.Cli.Tests.CliHarness;

namespace Hush.Cli.Tests;

/// <summary>results.html of <c>hush bench quality</c> (48×48 crops of two Kodak images, 10 iterations: a second or two):
/// one table row per run, and with --save-outputs the clean, noisy and denoised thumbnails of each run, which are the
/// images they claim to be; rewritten by a resumed or cancelled run.</summary>
public class BenchPageTests
{
    private static readonly string[] TwoKodak =
        [SharedData.PathOf("data", "Kodak24", "kodim01.png"), SharedData.PathOf("data", "Kodak24", "kodim03.png")];

    private static Outcome Bench(string output, params string[] extra) => RunCancellable(default, Arguments(output, extra));

    private static string[] Arguments(string output, params string[] extra) =>
        ["bench", "quality", "--clean", .. TwoKodak, "--crop", "48x48", "--noise", "g25", "-n", "10", "--threads", "1", "-o", output, "-q", .. extra];

    private static string Page(string results) => File.ReadAllText(Path.Combine(results, "results.html"));

    private static int RunRows(string html) => Regex.Count(html, "<tr class=\"run\">");

    /// <summary>The run keys of the results folder, in the page's order (by image: one method and setting here).</summary>
    private static string[] Keys(string results) =>
        Directory.GetFiles(Path.Combine(results, "runs"), "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).ToArray()!;

    [Fact]
    public void WithSavedOutputsEachRunHasItsCleanNoisyAndDenoisedThumbnailsWithTheirPsnr()
    {
        using var dir = new TempFolder();
        string results = dir.File("results");
        Assert.Equal(0, Bench(results, "--save-outputs").ExitCode);
        Assert.Empty(Directory.GetFiles(results, "*.tmp", SearchOption.AllDirectories));
        string html = Page(results);
        Assert.Equal(2, RunRows(html));
        Assert.Equal(1, Regex.Count(html, "<tr class=\"summary\">"));
        var csv = File.ReadAllLines(Path.Combine(results, "results.csv")).Skip(1).Select(l => l.Split(',')).ToList();

        var images = ReportPageChecks.AssertSelfContained(html);
        var keys = Keys(results);
        Assert.Equal(keys.SelectMany(k => new[] { $"clean {k}", $"noisy {k}", $"denoised {k}" }), images.Select(i => i.Alt));
        for (int run = 0; run < 2; run++)
        {
            var (clean, noisy, denoised) = (images[3 * run].Image, images[3 * run + 1].Image, images[3 * run + 2].Image);
            Assert.All(new[] { clean, noisy, denoised }, i => Assert.Equal((48, 48, 3), (i.Width, i.Height, i.Channels)));
            var source = ImageFile.Read(TwoKodak[run]);
            AssertClose(source.Crop((source.Width - 48) / 2, (source.Height - 48) / 2, 48, 48), clean);
            AssertClose(ImageFile.Read(Path.Combine(results, "outputs", keys[run] + ".png")), denoised);
            // The noisy thumbnail is the noisy input the run saw: its PSNR against the clean one is the table's noisy dB.
            double noisyPsnr = double.Parse(csv[run][4], CultureInfo.InvariantCulture), psnr = double.Parse(csv[run][6], CultureInfo.InvariantCulture);
            Assert.Equal(noisyPsnr, QualityScore.Of(noisy, clean).Psnr, 0.2);
            Assert.Contains(FormattableString.Invariant($"noisy<br>{noisyPsnr:0.00} dB</figcaption>"), html);
            Assert.Contains(FormattableString.Invariant($"denoised<br>{psnr:0.00} dB</figcaption>"), html);
        }
        Assert.DoesNotContain("need --save-outputs", html);
    }

    [Fact]
    public void WithoutSavedOutputsThePageHasTheTableAndSaysThumbnailsNeedSaveOutputs()
    {
        using var dir = new TempFolder();
        string results = dir.File("results");
        Assert.Equal(0, Bench(results).ExitCode);
        string html = Page(results);
        Assert.Empty(ReportPageChecks.AssertSelfContained(html, imagesExpected: false));
        Assert.Equal(2, RunRows(html));
        Assert.Contains("Thumbnails need --save-outputs", html);
        Assert.Contains("<td>Kodak24/kodim03</td>", html);
    }

    [Fact]
    public void ACancelledRunWritesThePageOfTheRunsSoFarAndTheResumedRunRewritesItWithEveryRow()
    {
        using var dir = new TempFolder();
        string results = dir.File("results");
        Assert.Equal(0, Bench(results, "--save-outputs", "--limit", "1").ExitCode);
        Assert.Equal(1, RunRows(Page(results)));
        Assert.Equal(3, ReportPageChecks.AssertSelfContained(Page(results)).Count);

        File.Delete(Path.Combine(results, "results.html"));
        var cancelled = RunCancellable(new CancellationToken(canceled: true), Arguments(results, "--save-outputs"));
        Assert.NotEqual(0, cancelled.ExitCode);
        Assert.Equal(1, RunRows(Page(results))); // written again, with the run that had finished

        Assert.Equal(0, Bench(results, "--save-outputs").ExitCode);
        string html = Page(results);
        Assert.Equal(2, RunRows(html));
        Assert.Equal(6, ReportPageChecks.AssertSelfContained(html).Count);
        Assert.Contains("2 of the 2 runs with a saved output", html);
    }

    [Theory]
    [InlineData(2, RunThumbnails.DefaultMaxBytes, 2)]
    [InlineData(RunThumbnails.DefaultMaxRuns, 1, 1)] // the first run's images pass the size cap
    public void ThumbnailsStopAtEitherCapAndTheSectionSaysSo(int maxRuns, long maxBytes, int shown)
    {
        using var dir = new TempFolder();
        string results = dir.File("results");
        Assert.Equal(0, Bench(results, "--save-outputs", "--limit", "1").ExitCode);
        var run = new RunStore(Path.Combine(results, "runs")).LoadAll(TextWriter.Null).Single();
        var settings = new Commands.BenchQualityCommand.Settings(null, [TwoKodak[0]], "g25", 0, (48, 48), null, "zs-n2n", 10, 0, 1, [],
            results, SaveOutputs: true, Json: false, Quiet: true);
        var pair = Commands.BenchQualityCommand.Plan(settings).Runs.Single().Pair;
        Assert.Equal(run.Key, Commands.BenchQualityCommand.Plan(settings).Runs.Single().Key);

        var thumbnails = new RunThumbnails(maxRuns, maxBytes);
        for (int i = 0; i < 5; i++)
        {
            var copy = run with { Key = $"copy{i}" }; // five saved runs on the same input
            File.Copy(Path.Combine(results, "outputs", run.Key + ".png"), Path.Combine(results, "outputs", copy.Key + ".png"));
            thumbnails.Add(results, copy, pair, copy.Key);
        }
        var page = new System.Text.StringBuilder();
        thumbnails.WriteSection(page);
        string html = page.ToString();
        Assert.Equal(3 * shown, Regex.Count(html, "<img "));
        Assert.Contains($"{shown} of the 5 runs with a saved output", html);
        Assert.Contains($"Only the first {maxRuns} runs", html);
    }

    /// <summary>An 8-bit thumbnail of <paramref name="expected"/>: every sample within one step of 1/255.</summary>
    private static void AssertClose(Image expected, Image thumbnail)
    {
        Assert.Equal((expected.Width, expected.Height, expected.Channels), (thumbnail.Width, thumbnail.Height, thumbnail.Channels));
        double worst = 0;
        for (int i = 0; i < expected.Data.Length; i++) worst = Math.Max(worst, Math.Abs(Math.Clamp(expected.Data[i], 0, 1) - thumbnail.Data[i]));
        Assert.True(worst <= 1.0 / 255 + 1e-6, $"a thumbnail sample differs by {worst * 255:0.00}/255");
    }
}
