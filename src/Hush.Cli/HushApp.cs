using System.CommandLine;
using Hush.Cli.Commands;

namespace Hush.Cli;

/// <summary>The <c>hush</c> command tree. Parse errors are reported as one line each with exit code 2.</summary>
public static class HushApp
{
    public static RootCommand Build() =>
        new("hush: zero-shot self-supervised image denoising; trains on your one noisy image, nothing else")
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

    public static int Run(string[] args) => Run(args, default);

    /// <summary>Runs with <paramref name="cancel"/> as the commands' cancellation token (what Ctrl+C triggers in a
    /// normal run; tests cancel with it).</summary>
    internal static int Run(string[] args, CancellationToken cancel)
    {
        var root = Build();
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
        if (parse.Errors.Count > 0 && parse.Action is not System.CommandLine.Help.HelpAction)
        {
            foreach (var error in parse.Errors) Console.Error.WriteLine($"hush: {error.Message}");
            Console.Error.WriteLine("Run 'hush --help' for usage.");
            return ExitCodes.BadUsage;
        }
        return cancel.CanBeCanceled ? parse.InvokeAsync(null, cancel).GetAwaiter().GetResult() : parse.Invoke();
    }
}
