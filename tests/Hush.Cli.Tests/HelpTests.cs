using System.CommandLine;
using System.Diagnostics;
using System.Reflection;
using static Hush.Cli.Tests.CliHarness;

namespace Hush.Cli.Tests;

/// <summary>What a first run shows: bare <c>hush</c>, <c>--version</c>, and <c>denoise --help</c> in sections.</summary>
public class HelpTests
{
    [Fact]
    public void BareHushPrintsTheHelpAndExitsZero()
    {
        var r = Run();
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Error);
        Assert.Equal(Run("--help").Out, r.Out);
        Assert.Contains("Commands:", r.Out);
        Assert.Contains("denoise <INPUT>", r.Out);
    }

    /// <summary>Run as its own process: <c>--version</c> reports the entry assembly, which in-process is the test host.</summary>
    [Fact]
    public void VersionPrintsThePackageVersionAlone()
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "hush.dll"), "--version"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        string expected = typeof(HushApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        Assert.Equal(expected, output.Trim());
        Assert.Matches(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?$", expected); // no "+commit"
    }

    [Fact]
    public void DenoiseHelpListsEveryOptionOnceInItsSection()
    {
        var r = Run("denoise", "--help");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Error);
        string[] lines = r.Out.ReplaceLineEndings("\n").Split('\n');
        string SectionOf(string flag)
        {
            int row = Array.FindIndex(lines, l => l.TrimStart().StartsWith(flag + " ", StringComparison.Ordinal) || l.Contains($", {flag} "));
            Assert.True(row >= 0, $"{flag} is not in the help");
            return lines.Take(row).Last(l => l.EndsWith(':') && !l.StartsWith(' '));
        }
        Assert.Equal("Options:", SectionOf("--method"));
        Assert.Equal("Options:", SectionOf("--iterations"));
        Assert.Equal("Training:", SectionOf("--lr"));
        Assert.Equal("Output:", SectionOf("--bit-depth"));
        Assert.Equal("Stacks, batches and memory:", SectionOf("--shard"));
        Assert.Equal("Settings of blind2grad:", SectionOf("--omega"));
        Assert.Equal("Settings of self2self-plus, self2self, blind2grad:", SectionOf("--passes"));
        var denoise = HushApp.Build().Subcommands.Single(c => c.Name == "denoise");
        foreach (var option in denoise.Options)
            Assert.Single(lines, l => l.StartsWith("  ", StringComparison.Ordinal) && l.TrimStart().Split(' ', 2)[0].TrimEnd(',') is var first
                && option.Aliases.Append(option.Name).Contains(first));
    }

    [Fact]
    public void AnOptionNoSectionNamesIsListedUnderOtherOptions()
    {
        var root = new RootCommand("test");
        var command = new Command("run") { new Option<int>("--known"), new Option<int>("--added-later"), new Option<int>("--first") };
        root.Subcommands.Add(command);
        SectionedHelp.Group(command, o => o.Name switch { "--known" => "Main", "--first" => "First", _ => null }, "First", "Main");
        Assert.Equal(new[] { ("First", "--first"), ("Main", "--known"), ("Other options", "--added-later"), ("Other options", "--help") },
            SectionedHelp.Sections(command).Select(s => (s.Section, s.Option.Name)));
    }
}
