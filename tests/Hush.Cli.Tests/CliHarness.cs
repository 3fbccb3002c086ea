using Hush.Cli;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Hush.Cli.Tests;

/// <summary>Runs <c>hush</c> in-process with stdout/stderr captured (Console is global, so the CLI tests
/// run one at a time). Stderr is redirected, as in a pipe, so progress comes as plain lines: the outcome keeps them
/// apart (<see cref="Outcome.Progress"/>) from the other stderr lines (<see cref="Outcome.Error"/>).</summary>
internal static class CliHarness
{
    public sealed record Outcome(int ExitCode, string Out, string Error)
    {
        /// <summary>The stderr lines that were progress lines (<see cref="ProgressLines.Prefix"/>).</summary>
        public IReadOnlyList<string> Progress { get; init; } = [];
    }

    public static Outcome Run(params string[] args) => RunCancellable(default, args);

    /// <summary>Runs with <paramref name="cancel"/> as the command's cancellation token (what Ctrl+C triggers).</summary>
    public static Outcome RunCancellable(CancellationToken cancel, params string[] args)
    {
        var oldOut = Console.Out;
        var oldErr = Console.Error;
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            int code = HushApp.Run(args, cancel);
            var lines = stderr.ToString().Split(Environment.NewLine);
            bool IsProgress(string l) => l.StartsWith(ProgressLines.Prefix, StringComparison.Ordinal);
            return new Outcome(code, stdout.ToString(), string.Join(Environment.NewLine, lines.Where(l => !IsProgress(l))))
            {
                Progress = [.. lines.Where(IsProgress)],
            };
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }

    /// <summary>A fresh empty folder for one test, deleted afterwards.</summary>
    public sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("hush-cli-").FullName;
        public string File(string name) => System.IO.Path.Combine(Path, name);
        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
