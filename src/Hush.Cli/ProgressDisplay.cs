using System.Diagnostics;
using Hush.Denoising.Training;
using Spectre.Console;

namespace Hush.Cli;

/// <summary>Training progress on stderr, unless --quiet: a live bar when stderr is a terminal, plain lines
/// (<see cref="ProgressLines"/>) when it is a file or a pipe (nohup, Slurm logs), so a long run is never silent.</summary>
internal static class ProgressDisplay
{
    public static bool ShouldShow(bool quiet) => !quiet;

    public static T Run<T>(bool show, string label, int total, Func<IProgress<TrainingProgress>?, T> work)
    {
        if (!show) return work(null);
        if (Console.IsErrorRedirected)
        {
            var clock = Stopwatch.StartNew();
            return work(new ProgressLines(Console.Error, label, () => clock.Elapsed));
        }
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
    /// synchronisation context and lag behind). Each report brings its own total: training steps and ensemble
    /// passes count in different units, and a stack's planes alternate between the two.</summary>
    internal sealed class Reporter(ProgressTask task, string label) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress p)
        {
            task.MaxValue = p.TotalIterations;
            task.Value = p.Iteration;
            if (p.Phase == TrainingPhase.Ensemble)
                task.Description = Markup.Escape($"{label} pass {p.Iteration}/{p.TotalIterations}");
            else if (p.Iteration % 10 == 0 || p.Iteration == p.TotalIterations)
                task.Description = Markup.Escape($"{label} {p.Iteration}/{p.TotalIterations} loss {p.Loss:0.000000}");
        }
    }
}
