using System.Globalization;
using Hush.Denoising.Training;

namespace Hush.Cli;

/// <summary>
/// Progress as plain lines, for stderr that is not a terminal: "progress NAME: iteration 300/3000 (10%), loss
/// 0.001234, elapsed 1m05s, ETA 9m45s". A line is written whenever the run crosses another tenth of its steps (or
/// passes), or <see cref="Interval"/> has passed since the last line, whichever comes first: a short run logs about
/// ten lines per phase, and a long one never goes quiet for more than half a minute plus one step, so a log shows
/// at a glance that the job is alive, how the loss moves and when it ends.
/// </summary>
internal sealed class ProgressLines(TextWriter writer, string label, Func<TimeSpan> clock) : IProgress<TrainingProgress>
{
    /// <summary>The longest silence between two lines (while steps keep completing).</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    /// <summary>What every line starts with, so logs (and tests) can tell progress from errors ("hush: ...").</summary>
    public const string Prefix = "progress ";

    private readonly Dictionary<TrainingPhase, PhaseState> _phases = [];
    private TimeSpan _lastLine, _lastReport;

    public void Report(TrainingProgress p)
    {
        TimeSpan now = clock();
        if (!_phases.TryGetValue(p.Phase, out var state)) _phases[p.Phase] = state = new PhaseState();
        state.Spent += now - _lastReport; // time since the last report went into this unit
        state.Done = p.Iteration;
        state.Total = p.TotalIterations;
        _lastReport = now;
        int tenth = p.TotalIterations > 0 ? (int)(10L * p.Iteration / p.TotalIterations) : 10;
        if (tenth <= state.Tenth && now - _lastLine < Interval) return;
        state.Tenth = Math.Max(state.Tenth, tenth);
        _lastLine = now;
        writer.WriteLine(Line(p, now));
    }

    private string Line(TrainingProgress p, TimeSpan now)
    {
        var c = CultureInfo.InvariantCulture;
        int percent = p.TotalIterations > 0 ? (int)(100L * p.Iteration / p.TotalIterations) : 100;
        string what = p.Phase == TrainingPhase.Ensemble ? "pass" : "iteration";
        string loss = float.IsFinite(p.Loss) ? string.Format(c, ", loss {0:0.000000}", p.Loss) : "";
        return $"{Prefix}{label}: {what} {p.Iteration}/{p.TotalIterations} ({percent}%){loss}, elapsed {Duration(now)}, ETA {Duration(Remaining())}";
    }

    /// <summary>Every phase seen so far, its remaining units at its own pace so far.</summary>
    private TimeSpan Remaining() => TimeSpan.FromTicks(_phases.Values
        .Where(s => s.Done > 0)
        .Sum(s => (long)(s.Spent.Ticks / (double)s.Done * Math.Max(0, s.Total - s.Done))));

    /// <summary>"45s", "12m05s", "3h02m".</summary>
    internal static string Duration(TimeSpan t) =>
        t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:00}m"
        : t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes}m{t.Seconds:00}s"
        : $"{(int)t.TotalSeconds}s";

    private sealed class PhaseState
    {
        public TimeSpan Spent;
        public int Done, Total, Tenth;
    }
}
