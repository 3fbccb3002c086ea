using System.CommandLine;
using System.Globalization;
using Hush.Denoising.Methods;

namespace Hush.Cli.Commands;

/// <summary><c>hush methods</c>: what each registered method is, is good for, and which flags it owns. With
/// <c>--markdown</c> it prints the README's method table, which a test keeps equal to the registry.</summary>
internal static class MethodsCommand
{
    public static Command Create()
    {
        var markdown = new Option<bool>("--markdown") { Description = "Print the method table in Markdown (as in the README)" };
        var command = new Command("methods", "List the denoising methods, what each is good for, its defaults and its flags") { markdown };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            Console.Out.Write(parse.GetValue(markdown) ? Markdown() : Text());
            return ExitCodes.Success;
        }, Console.Error));
        return command;
    }

    /// <summary>The README's method table: one row per registered method.</summary>
    public static string Markdown()
    {
        var s = new System.Text.StringBuilder();
        s.Append("| method | what it does | good for | default iterations | default lr | method flags |\n");
        s.Append("|---|---|---|---|---|---|\n");
        foreach (var d in MethodRegistry.All)
        {
            bool trains = !d.Can(MethodCapabilities.Classical);
            s.Append($"| [`{d.Name}`]({d.Documentation}) | {d.Summary} ({d.Paper}) | {d.GoodFor} | {(trains ? d.DefaultIterations : "—")} | " +
                     $"{(trains ? Rate(d) : "—")} | {string.Join(" ", Flags(d).Select(f => $"`{f}`"))} |\n");
        }
        return s.ToString();
    }

    private static string Text()
    {
        var s = new System.Text.StringBuilder();
        s.Append($"Without -m, hush denoise runs {DenoiseFlags.AutoMethod}: it measures each image's noise and runs the method and setting " +
                 "measured best for that kind ('hush info --noise' shows the choice and why). The methods:\n\n");
        foreach (var d in MethodRegistry.All)
        {
            s.Append($"{d.Name}: {d.Summary}\n");
            s.Append($"  paper: {d.Paper}; docs: {d.Documentation}\n");
            s.Append($"  good for: {d.GoodFor}\n");
            if (d.Can(MethodCapabilities.Classical)) s.Append("  no training (iterations and lr do not apply)");
            else s.Append($"  defaults: {d.DefaultIterations} iterations, lr {Rate(d)}");
            if (d.Can(MethodCapabilities.PatchesAndTiles)) s.Append("; trains on patches and tiles huge images");
            if (d.Can(MethodCapabilities.SharedModel)) s.Append("; one model can serve a stack (--train-planes)");
            s.Append('\n');
            foreach (var p in d.Parameters.Where(p => p.Flag is not null))
                s.Append($"  {p.Flag}{(p.SwitchValue is null ? $" {p.ValueHint}" : "")}: {p.Description}\n");
        }
        return s.ToString();
    }

    private static string Rate(MethodDescriptor d) => d.DefaultLearningRate.ToString(CultureInfo.InvariantCulture);

    private static IEnumerable<string> Flags(MethodDescriptor d) => d.Parameters.Where(p => p.Flag is not null).Select(p => p.Flag!);
}
