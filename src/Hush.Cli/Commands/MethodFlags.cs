using System.CommandLine;
using Hush.Denoising;
using Hush.Denoising.Methods;

namespace Hush.Cli.Commands;

/// <summary><c>hush denoise</c>'s method flags, made from the registry: one option per distinct flag of any method's
/// settings (a flag several methods declare, like --passes, is one option whose help lists each). A flag given for a
/// method that does not own it is a usage error naming its owners, so no setting is silently ignored.</summary>
internal sealed class MethodFlags
{
    private readonly List<(Option Option, IReadOnlyList<MethodParameter> Owners)> _flags = [];

    public MethodFlags()
    {
        foreach (var group in MethodRegistry.All.SelectMany(d => d.Parameters).Where(p => p.Flag is not null).GroupBy(p => p.Flag!))
        {
            var owners = group.ToList();
            // "zs-n2n, lota-n2n: same text; blind2grad: its own": methods that describe the flag alike share a line.
            string description = string.Join("; ", owners.GroupBy(p => p.Description)
                .Select(g => $"{string.Join(", ", g.Select(p => p.Method))}: {g.Key}"));
            Option option = owners[0].SwitchValue is null
                ? new Option<string?>(group.Key) { Description = description, HelpName = owners[0].ValueHint }
                : new Option<bool>(group.Key) { Description = description };
            _flags.Add((option, owners));
        }
    }

    /// <summary>"Settings of self2self, self2self-plus": the help section of a method flag; null for any other option.</summary>
    public string? SectionOf(Option option) =>
        _flags.FirstOrDefault(f => f.Option == option) is { Option: not null } flag
            ? $"Settings of {string.Join(", ", flag.Owners.Select(p => p.Method))}"
            : null;

    public void AddTo(Command command)
    {
        foreach (var (option, _) in _flags) command.Options.Add(option);
    }

    /// <summary><paramref name="options"/> with every method flag given on the command line applied.</summary>
    /// <exception cref="UsageException">A flag of another method, or a value that is not of the setting's kind.</exception>
    public DenoiseOptions Apply(ParseResult parse, DenoiseOptions options)
    {
        foreach (var (option, owners, value) in Given(parse))
        {
            var parameter = owners.FirstOrDefault(p => p.Method == options.Method)
                ?? throw new UsageException($"{option.Name} is a setting of {Owners(owners)}, not {options.Method}");
            try
            {
                options = parameter.Apply(options, value);
            }
            catch (FormatException e)
            {
                throw new UsageException($"{option.Name}: {e.Message}");
            }
        }
        return options;
    }

    /// <summary>The first method flag given on the command line, with the phrase naming its owners ("self2self-plus,
    /// self2self and blind2grad") and their names; null when none is given.</summary>
    public (string Flag, string Owners, IReadOnlyList<string> Methods)? FirstGiven(ParseResult parse)
    {
        foreach (var (option, owners, _) in Given(parse))
            return (option.Name, Owners(owners), owners.Select(p => p.Method!).ToList());
        return null;
    }

    /// <summary>The method flags given on the command line, each with its owners and its value as text.</summary>
    private IEnumerable<(Option Option, IReadOnlyList<MethodParameter> Owners, string Value)> Given(ParseResult parse)
    {
        foreach (var (option, owners) in _flags)
        {
            string? value = option switch
            {
                Option<bool> flag => parse.GetValue(flag) ? owners[0].SwitchValue : null,
                Option<string?> text => parse.GetValue(text),
                _ => null,
            };
            if (value is not null) yield return (option, owners, value);
        }
    }

    /// <summary>"blind2grad", "self2self and blind2grad", "self2self-plus, self2self and blind2grad".</summary>
    private static string Owners(IReadOnlyList<MethodParameter> owners)
    {
        var names = owners.Select(p => p.Method!).ToList();
        return names.Count == 1 ? names[0] : $"{string.Join(", ", names.SkipLast(1))} and {names[^1]}";
    }
}
