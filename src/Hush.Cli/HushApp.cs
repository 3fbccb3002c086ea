using System.CommandLine;
using Hush.Cli.Commands;

namespace Hush.Cli;

/// <summary>The <c>hush</c> command tree. Parse errors are reported as one line each with exit code 2.</summary>
public static class HushApp
{
    /// <summary>The root command with every subcommand; <c>--version</c> prints the package version.</summary>
    public static RootCommand Build()
    {
        var root = new RootCommand("hush: zero-shot self-supervised image denoising; trains on your one noisy image, nothing else")
        {
            DenoiseCommand.Create(),
            ApplyCommand.Create(),
            InfoCommand.Create(),
            ConvertCommand.Create(),
            NoiseCommand.Create(),
            MetricsCommand.Create(),
            BenchCommand.Create(),
            MethodsCommand.Create(),
        };
        SectionedHelp.Install(root);
        return root;
    }

    /// <summary>Runs <c>hush</c> with <paramref name="args"/> and returns the exit code (<see cref="ExitCodes"/>).
    /// No arguments at all prints the help, exit 0: asking what the tool does is not a mistake.</summary>
    public static int Run(string[] args) => Run(args, default);

    /// <summary>Runs with <paramref name="cancel"/> as the commands' cancellation token (what Ctrl+C triggers in a
    /// normal run; tests cancel with it).</summary>
    internal static int Run(string[] args, CancellationToken cancel)
    {
        var root = Build();
        if (args.Length == 0) args = ["--help"];
        ParseResult parse;
        try
        {
            parse = root.Parse(args);
        }
        catch (InvalidOperationException e)
        {
            // A command validator read an option given twice ("expects a single argument but 2 were provided").
            Console.Error.WriteLine($"hush: {e.Message}");
            Console.Error.WriteLine("Run 'hush --help' for usage.");
            return ExitCodes.BadUsage;
        }
        if (parse.Errors.Count > 0 && !SectionedHelp.IsHelp(parse.Action))
        {
            foreach (var error in parse.Errors) Console.Error.WriteLine($"hush: {error.Message}");
            Console.Error.WriteLine("Run 'hush --help' for usage.");
            return ExitCodes.BadUsage;
        }
        return cancel.CanBeCanceled ? parse.InvokeAsync(null, cancel).GetAwaiter().GetResult() : parse.Invoke();
    }
}
