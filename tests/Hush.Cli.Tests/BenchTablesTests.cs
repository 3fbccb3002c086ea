using System.Text.RegularExpressions;
using Hush.Testing;
using static Hush.Cli.Tests.CliHarness;

namespace Hush.Cli.Tests;

/// <summary><c>hush bench tables</c>: every row of a table beside its published figure, a subset declared as one,
/// resumed from its runs, tables.html with the saved outputs' thumbnails, and unknown names refused.</summary>
public class BenchTablesTests
{
    [Fact]
    public void TheBm3dTableRunsEveryRowBesideItsPublishedFigureAndResumes()
    {
        using var dir = new TempFolder();
        string output = dir.File("tables");
        var first = Run("bench", "tables", "--tables", "bm3d", "--images", "1", "-t", "2", "-o", output, "-q", "--save-outputs");
        Assert.Equal(0, first.ExitCode);
        var lines = first.Out.Split('\n').Where(l => l.StartsWith("| bm3d |", StringComparison.Ordinal)).ToList();
        Assert.Equal(9, lines.Count);
        Assert.Contains(lines, l => l.Contains("| BSD68 | g25u | sigma=25 | 1 of 68 |") && l.Contains("| 28.57 |") && l.Contains("subset"));
        Assert.Contains(lines, l => l.Contains("| CBSD68 | g50u | sigma=50 | 1 of 68 |") && l.Contains("| 27.38 |"));
        Assert.True(File.Exists(Path.Combine(output, "tables.md")));
        AssertPage(output);

        var runs = Directory.EnumerateFiles(output, "*.json", SearchOption.AllDirectories).Where(f => f.Contains("runs")).ToList();
        Assert.Equal(9, runs.Count);
        var stamps = runs.ToDictionary(f => f, File.GetLastWriteTimeUtc);
        var again = Run("bench", "tables", "--tables", "bm3d", "--images", "1", "-t", "2", "-o", output, "-q");
        Assert.Equal(0, again.ExitCode);
        Assert.Equal(first.Out, again.Out); // the same figures, from the stored runs
        Assert.All(runs, f => Assert.Equal(stamps[f], File.GetLastWriteTimeUtc(f)));
        AssertPage(output); // rewritten, thumbnails from the outputs the first run saved
    }

    /// <summary>tables.html: the nine rows with their published figures, and each row's run as clean, noisy and denoised
    /// thumbnails; each row's folder has its own results.html with them.</summary>
    private static void AssertPage(string output)
    {
        string html = File.ReadAllText(Path.Combine(output, "tables.html"));
        Assert.Equal(9, Regex.Count(html, "<tr class=\"row\">"));
        Assert.Contains("<td>28.57</td>", html);
        var images = ReportPageChecks.AssertSelfContained(html);
        Assert.Equal(27, images.Count);
        Assert.Equal(9, images.Count(i => i.Alt.StartsWith("denoised bm3d_", StringComparison.Ordinal)));
        var rowPages = Directory.GetFiles(output, "results.html", SearchOption.AllDirectories);
        Assert.Equal(9, rowPages.Length);
        Assert.All(rowPages, p => Assert.Equal(3, ReportPageChecks.AssertSelfContained(File.ReadAllText(p)).Count));
    }

    [Theory]
    [InlineData("--tables", "nope")]
    [InlineData("--images", "0")]
    public void BadArgumentsExitTwo(string option, string value)
    {
        using var dir = new TempFolder();
        var r = Run("bench", "tables", option, value, "-o", dir.File("t"));
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("hush:", r.Error);
    }
}
