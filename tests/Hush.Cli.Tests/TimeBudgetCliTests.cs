using System.Text.Json;
using static Hush.Cli.Tests.CliHarness;

namespace Hush.Cli.Tests;

/// <summary><c>--time-budget</c>: durations as people write them, refused when malformed, and a run it cuts short
/// saying so in its summary and its JSON.</summary>
public class TimeBudgetCliTests
{
    [Theory]
    [InlineData("90", 90)]
    [InlineData("90s", 90)]
    [InlineData("5m", 300)]
    [InlineData("1h30m", 5400)]
    [InlineData("2.5m", 150)]
    [InlineData("1m30s", 90)]
    [InlineData(" 0.5s ", 0.5)]
    public void DurationsParse(string text, double seconds)
    {
        Assert.True(Duration.TryParse(text, out var d));
        Assert.Equal(TimeSpan.FromSeconds(seconds), d);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("0s")]
    [InlineData("-5s")]
    [InlineData("5 minutes")]
    [InlineData("m")]
    [InlineData("1.5.2s")]
    [InlineData("10d")]
    public void MalformedDurationsDoNot(string text) => Assert.False(Duration.TryParse(text, out _));

    [Fact]
    public void AMalformedBudgetIsAUsageErrorBeforeAnythingIsWritten()
    {
        using var dir = new TempFolder();
        string input = TestImages.Png(dir.File("in.png"));
        var r = Run("denoise", input, "-o", dir.File("out.png"), "--time-budget", "soon");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--time-budget: 'soon' is not a duration (e.g. 90s, 5m, 1h30m)", r.Error);
        Assert.Equal(["in.png"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void ABudgetTooShortForASecondStepTakesOneAndSaysSo()
    {
        using var dir = new TempFolder();
        string input = TestImages.Png(dir.File("in.png"));
        var json = Run("denoise", input, "-o", dir.File("out.png"), "-m", "zs-n2n", "--time-budget", "0.000001s", "-t", "1", "--json");
        Assert.Equal(0, json.ExitCode);
        var report = JsonDocument.Parse(json.Out).RootElement;
        Assert.Equal((1, true), (report.GetProperty("iterations").GetInt32(), report.GetProperty("stoppedByTimeBudget").GetBoolean()));

        var text = Run("denoise", input, "-o", dir.File("out2.png"), "-m", "zs-n2n", "--time-budget", "0.000001s", "-t", "1", "--seed", "3");
        Assert.Equal(0, text.ExitCode);
        Assert.Contains("(zs-n2n, 1 iterations, seed 3, stopped by the time budget, 1 thread)", text.Out);

        var whole = Run("denoise", input, "-o", dir.File("out3.png"), "-m", "zs-n2n", "-n", "5", "-t", "1", "--json");
        Assert.False(JsonDocument.Parse(whole.Out).RootElement.GetProperty("stoppedByTimeBudget").GetBoolean());
    }
}

/// <summary><c>--early-stop</c> end to end: the kept step in the summary and the JSON, refused for methods without a
/// stopping rule.</summary>
public class EarlyStopCliTests
{
    [Fact]
    public void TheKeptStepIsReported()
    {
        using var dir = new TempFolder();
        string input = TestImages.Png(dir.File("in.png"), width: 32, height: 32);
        var r = Run("denoise", input, "-o", dir.File("out.png"), "-m", "zs-n2n", "--early-stop", "-n", "120", "-t", "1", "--json");
        Assert.Equal(0, r.ExitCode);
        var report = JsonDocument.Parse(r.Out).RootElement;
        int kept = report.GetProperty("keptIteration").GetInt32();
        Assert.True(kept is 50 or 100, $"kept {kept}"); // measured every 50 steps; 120 is too few for the rule to stop
        Assert.Equal(120, report.GetProperty("iterations").GetInt32());

        var text = Run("denoise", input, "-o", dir.File("out2.png"), "-m", "zs-n2n", "--early-stop", "-n", "120", "-t", "1", "--seed", "2",
            "--report", dir.File("run.html"));
        Assert.Matches(@"\(zs-n2n, 120 iterations, seed 2, weights of step (50|100) kept by the stopping rule, 1 thread\)", text.Out);
        string page = File.ReadAllText(dir.File("run.html"));
        Assert.Contains("class=\"loss-held-out\"", page); // the rule's two measurements, drawn beside the training loss
        Assert.DoesNotContain("held-out loss: none", page);
    }

    [Fact]
    public void AMethodWithoutAStoppingRuleRefusesIt()
    {
        using var dir = new TempFolder();
        string input = TestImages.Png(dir.File("in.png"));
        var r = Run("denoise", input, "-o", dir.File("out.png"), "--early-stop", "-m", "self2self");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("method self2self has no stopping rule; methods with one: zs-n2n, self2self-plus, blind2grad", r.Error);
        Assert.Equal(["in.png"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }
}
