using Hush.Denoising.Training;
using Spectre.Console;

namespace Hush.Cli;

/// <summary>Training progress on stderr: iteration, loss and ETA. Shown only when stderr is a terminal
/// and --quiet was not given, so pipes and logs stay clean.</summary>
internal static class ProgressDisplay
{
    public static bool ShouldShow(bool quiet) => !quiet && !Console.IsErrorRedirected;

    public static T Run<T>(bool show, string label, int total, Func<IProgress<TrainingProgress>?, T> work)
    {
        if (!show) return work(null);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        T result = default!;
        console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(label), maxValue: total);
                result = work(new Reporter(task, label));
            });
        return result;
    }

    /// <summary>Updates the bar directly on the training thread (Progress&lt;T&gt; would post to a
    /// synchronisation context and lag behind).</summary>
    private sealed class Reporter(ProgressTask task, string label) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress p)
        {
            if (p.Phase == TrainingPhase.Ensemble)
            {
                task.MaxValue = p.TotalIterations;
                task.Value = p.Iteration;
                task.Description = Markup.Escape($"{label} pass {p.Iteration}/{p.TotalIterations}");
                return;
            }

            task.Value = p.Iteration;
            if (p.Iteration % 10 == 0 || p.Iteration == p.TotalIterations)
                task.Description = Markup.Escape($"{label} {p.Iteration}/{p.TotalIterations} loss {p.Loss:0.000000}");
        }
    }
}
