using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Runtime.CompilerServices;

namespace Hush.Cli;

/// <summary>
/// Help that lists a command's options in titled sections ("Training:", "Output:", a section per method's settings)
/// instead of one long list. A command opts in with <see cref="Group"/> and a function naming each option's section;
/// options it does not place land in <see cref="OtherSection"/>, so a new option shows up without touching this class.
/// The library's help text is kept as it is (usage, arguments, each option's row and wrapping) and only its option
/// rows are regrouped, since System.CommandLine keeps its help builder internal. Other commands keep the
/// library's help unchanged.
/// </summary>
internal static class SectionedHelp
{
    /// <summary>The section of options the grouping function does not place.</summary>
    public const string OtherSection = "Other options";

    private static readonly ConditionalWeakTable<Command, Grouping> Groupings = new();

    private sealed record Grouping(Func<Option, string?> SectionOf, IReadOnlyList<string> Order);

    /// <summary>Lists <paramref name="command"/>'s options by <paramref name="sectionOf"/> (null: <see cref="OtherSection"/>),
    /// sections in <paramref name="order"/>, then any others in the order their first option was added.</summary>
    public static void Group(Command command, Func<Option, string?> sectionOf, params string[] order) =>
        Groupings.AddOrUpdate(command, new Grouping(sectionOf, order));

    /// <summary>Makes <paramref name="root"/>'s help option (which every subcommand shares) use sections where a command
    /// asked for them.</summary>
    public static void Install(RootCommand root)
    {
        var help = root.Options.OfType<HelpOption>().Single();
        if (help.Action is HelpAction inner) help.Action = new Action(inner);
    }

    /// <summary>Whether <paramref name="action"/> prints help (parse errors are then not reported: help was asked for).</summary>
    public static bool IsHelp(CommandLineAction? action) => action is HelpAction or Action;

    /// <summary>Each visible option of <paramref name="command"/> (and the inherited ones, like --help) with its
    /// section title, sections in their order, options in the order they were added within a section.</summary>
    public static IReadOnlyList<(string Section, Option Option)> Sections(Command command)
    {
        var options = command.Options.Concat(command.Parents.OfType<Command>().SelectMany(p => p.Options.Where(o => o.Recursive)))
            .Where(o => !o.Hidden).ToList();
        if (!Groupings.TryGetValue(command, out var grouping)) return [.. options.Select(o => ("Options", o))];
        var placed = options.Select(o => (Section: grouping.SectionOf(o) ?? OtherSection, Option: o)).ToList();
        var firstSeen = placed.Select(p => p.Section).Distinct().ToList();
        int Rank(string section) => grouping.Order.ToList().IndexOf(section) is int i and >= 0 ? i : grouping.Order.Count + firstSeen.IndexOf(section);
        return [.. placed.OrderBy(p => Rank(p.Section))]; // OrderBy is stable
    }

    /// <summary>The help text with its "Options:" list split into sections.</summary>
    internal static string Regroup(string help, Command command)
    {
        var lines = help.ReplaceLineEndings("\n").Split('\n').ToList();
        int start = lines.IndexOf("Options:");
        if (start < 0) return help;
        int end = lines.FindIndex(start + 1, l => l.Length == 0);
        if (end < 0) end = lines.Count;
        // One row per option: a line starting "  -" begins it, deeper-indented lines continue its description.
        var rows = new List<List<string>>();
        foreach (string line in lines.Skip(start + 1).Take(end - start - 1))
            if (line.StartsWith("  -", StringComparison.Ordinal) || rows.Count == 0) rows.Add([line]);
            else rows[^1].Add(line);
        var sections = Sections(command);
        string SectionOf(List<string> row)
        {
            var names = row[0].Trim().Split(' ')[0..].TakeWhile(t => t.StartsWith('-')).Select(t => t.TrimEnd(',')).ToHashSet();
            return sections.FirstOrDefault(s => s.Option.Aliases.Append(s.Option.Name).Any(names.Contains)).Section ?? OtherSection;
        }
        var order = sections.Select(s => s.Section).Distinct().ToList();
        var regrouped = rows.GroupBy(SectionOf).OrderBy(g => order.IndexOf(g.Key) is int i and >= 0 ? i : order.Count)
            .SelectMany((g, i) => (i > 0 ? new[] { "" } : []).Append($"{g.Key}:").Concat(g.SelectMany(r => r)));
        return string.Join(Environment.NewLine, lines.Take(start).Concat(regrouped).Concat(lines.Skip(end)));
    }

    /// <summary>The help option's action: sections for commands that asked for them, the library's help otherwise.</summary>
    private sealed class Action(HelpAction inner) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var command = parseResult.CommandResult.Command;
            if (!Groupings.TryGetValue(command, out _)) return inner.Invoke(parseResult);
            var configuration = parseResult.InvocationConfiguration;
            var output = configuration.Output;
            var text = new StringWriter();
            configuration.Output = text;
            int code;
            try
            {
                code = inner.Invoke(parseResult);
            }
            finally
            {
                configuration.Output = output;
            }
            output.Write(Regroup(text.ToString(), command));
            return code;
        }
    }
}
