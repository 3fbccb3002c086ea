using System.Text.RegularExpressions;
using Hush.Denoising.Training;
using Hush.Imaging;
using Spectre.Console;
using static Hush.Cli.Tests.CliHarness;

namespace Hush.Cli.Tests;

/// <summary>Progress when stderr is not a terminal (plain lines), and the counts a stack's ensemble passes show.</summary>
public class ProgressTests
{
    [Fact]
    public void LinesComeEveryTenthOrEveryThirtySecondsWithLossElapsedAndEta()
    {
        var clock = TimeSpan.Zero;
        var writer = new StringWriter();
        var lines = new ProgressLines(writer, "a.png", () => clock);
        for (int i = 1; i <= 250; i++)
        {
            clock += TimeSpan.FromSeconds(1); // one step a second
            lines.Report(new TrainingProgress(i, 1000, 0.5f, clock));
        }
        Assert.Equal(new[]
        {
            "progress a.png: iteration 30/1000 (3%), loss 0.500000, elapsed 30s, ETA 16m10s",
            "progress a.png: iteration 60/1000 (6%), loss 0.500000, elapsed 1m00s, ETA 15m40s",
            "progress a.png: iteration 90/1000 (9%), loss 0.500000, elapsed 1m30s, ETA 15m10s",
            "progress a.png: iteration 100/1000 (10%), loss 0.500000, elapsed 1m40s, ETA 15m00s",
            "progress a.png: iteration 130/1000 (13%), loss 0.500000, elapsed 2m10s, ETA 14m30s",
            "progress a.png: iteration 160/1000 (16%), loss 0.500000, elapsed 2m40s, ETA 14m00s",
            "progress a.png: iteration 190/1000 (19%), loss 0.500000, elapsed 3m10s, ETA 13m30s",
            "progress a.png: iteration 200/1000 (20%), loss 0.500000, elapsed 3m20s, ETA 13m20s",
            "progress a.png: iteration 230/1000 (23%), loss 0.500000, elapsed 3m50s, ETA 12m50s",
        }, writer.ToString().TrimEnd().Split(Environment.NewLine));
        Assert.Equal("3h02m", ProgressLines.Duration(TimeSpan.FromMinutes(182.5)));
    }

    [Fact]
    public void ARedirectedStderrGetsAPlainLinePerTenthAndQuietSilencesIt()
    {
        using var dir = new TempFolder();
        string input = TestImages.Png(dir.File("in.png"));
        var r = Run("denoise", input, "-o", dir.File("out.png"), "-m", "zs-n2n", "-n", "20", "--seed", "1", "--threads", "1");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Error.Trim());
        Assert.Equal(Enumerable.Range(1, 10).Select(k => $"progress in.png: iteration {2 * k}/20 ({10 * k}%)"), r.Progress.Select(Counts));
        Assert.All(r.Progress, l => Assert.Matches(@", loss \d+\.\d{6}, elapsed \d+s, ETA \d+s$", l));

        var quiet = Run("denoise", input, "-o", dir.File("quiet.png"), "-m", "zs-n2n", "-n", "20", "--seed", "1", "--threads", "1", "-q");
        Assert.Equal(0, quiet.ExitCode);
        Assert.Equal(("", ""), (quiet.Error, quiet.Out));
        Assert.Empty(quiet.Progress);
    }

    /// <summary>A two-plane stack with Self2Self: each plane trains, then averages its passes; steps and passes count
    /// over both planes and never past their own totals.</summary>
    [Fact]
    public void AStacksEnsemblePassesNeverCountPastTheirTotal()
    {
        using var dir = new TempFolder();
        string input = TestImages.Stack(dir.File("in.tif"), "ZYX", [2, 20, 24], SampleType.UInt8);
        var r = Run("denoise", input, "-o", dir.File("out.tif"), "-m", "self2self", "-n", "2", "--passes", "3", "--seed", "1", "--threads", "1");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(new[]
        {
            "progress in.tif: iteration 1/4 (25%)", "progress in.tif: iteration 2/4 (50%)",
            "progress in.tif: pass 1/6 (16%)", "progress in.tif: pass 2/6 (33%)", "progress in.tif: pass 3/6 (50%)",
            "progress in.tif: iteration 3/4 (75%)", "progress in.tif: iteration 4/4 (100%)",
            "progress in.tif: pass 4/6 (66%)", "progress in.tif: pass 5/6 (83%)", "progress in.tif: pass 6/6 (100%)",
        }, r.Progress.Select(Counts));

        // The terminal bar: its total follows each report's own unit, so the second plane's steps, which come after
        // the first plane's passes, do not run past a total of passes.
        var task = new ProgressTask(0, "in.tif", 4);
        var bar = new ProgressDisplay.Reporter(task, "in.tif");
        foreach (var (i, total, phase) in new[] { (1, 4, TrainingPhase.Training), (2, 4, TrainingPhase.Training),
                     (3, 6, TrainingPhase.Ensemble), (3, 4, TrainingPhase.Training), (4, 6, TrainingPhase.Ensemble) })
        {
            bar.Report(new TrainingProgress(i, total, phase == TrainingPhase.Training ? 0.1f : float.NaN, TimeSpan.Zero, phase));
            Assert.Equal((i, total), ((int)task.Value, (int)task.MaxValue));
        }
        Assert.Equal("in.tif pass 4/6", task.Description);
    }

    /// <summary>"progress NAME: iteration 2/20 (10%)": a line up to its counts.</summary>
    private static string Counts(string line) => Regex.Match(line, @"^progress [^:]+: \w+ \d+/\d+ \(\d+%\)").Value;
}
