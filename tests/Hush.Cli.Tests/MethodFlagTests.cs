using System.CommandLine;
using Hush.Cli.Commands;
using Hush.Cli.Quality;
using Hush.Denoising;
using Hush.Imaging;
using Hush.Testing;
using static Hush.Cli.Tests.CliHarness;

namespace Hush.Cli.Tests;

/// <summary>The CLI side of the method contract, over the registry: every flag of a method parses into its setting,
/// a flag of another method is refused naming its owner, and every setting is a sweep name.</summary>
public class MethodFlagTests
{
    public static IEnumerable<object[]> Flags =>
        MethodRegistry.All.SelectMany(d => d.Parameters.Where(p => p.Flag is not null).Select(p => new object[] { d.Name, p.Name }));

    public static IEnumerable<object[]> Methods => MethodRegistry.Names.Select(n => new object[] { n });

    /// <summary>The options a <c>denoise</c> command line turns into (parse errors fail the test).</summary>
    internal static DenoiseOptions Read(params string[] args)
    {
        var flags = new DenoiseFlags();
        var command = new Command("denoise");
        flags.AddTo(command);
        var parse = command.Parse(args);
        Assert.Empty(parse.Errors);
        return flags.Read(parse);
    }

    [Theory]
    [MemberData(nameof(Flags))]
    public void EveryFlagOfAMethodParsesIntoItsSetting(string method, string name)
    {
        var parameter = MethodRegistry.Find(method).Parameters.Single(p => p.Name == name);
        string value = parameter.Probe!;
        var options = parameter.SwitchValue is string switched
            ? Read("-m", method, parameter.Flag!)
            : Read("-m", method, parameter.Flag!, value);
        var expected = parameter.Apply(new DenoiseOptions { Method = method }, parameter.SwitchValue ?? value);
        Assert.Equal(parameter.ValueIn(expected), parameter.ValueIn(options));
        Assert.NotEqual(parameter.ValueIn(new DenoiseOptions { Method = method }), parameter.ValueIn(options));
        // Only that setting moved.
        foreach (var other in MethodRegistry.ParametersOf(options).Where(p => p.Name != name))
            Assert.Equal(other.ValueIn(expected), other.ValueIn(options));
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void AFlagOfAnotherMethodIsRefusedNamingItsOwners(string method)
    {
        var own = MethodRegistry.Find(method).Parameters.Select(p => p.Flag).ToHashSet();
        foreach (var foreign in MethodRegistry.All.Where(d => d.Name != method).SelectMany(d => d.Parameters)
                     .Where(p => p.Flag is not null && !own.Contains(p.Flag)).GroupBy(p => p.Flag!))
        {
            var p = foreign.First();
            string[] args = p.SwitchValue is null ? ["-m", method, p.Flag!, p.Probe!] : ["-m", method, p.Flag!];
            var e = Assert.Throws<UsageException>(() => Read(args));
            Assert.All(foreign, owner => Assert.Contains(owner.Method!, e.Message));
            Assert.Contains($"not {method}", e.Message);
        }
    }

    [Fact]
    public void OmegaForZsN2NExitsTwoNamingBlind2Grad()
    {
        using var dir = new TempFolder();
        string input = dir.File("x.png");
        ImageFile.Write(ImageFile.Read(SharedData.PathOf("data", "Set12", "08.png")).Crop(0, 0, 16, 16), input);
        var r = Run("denoise", input, "-o", dir.File("y.png"), "-m", "zs-n2n", "--omega", "2");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("hush: --omega is a setting of blind2grad, not zs-n2n", r.Error.Trim());
        Assert.False(File.Exists(dir.File("y.png")));
    }

    [Fact]
    public void FlagsSharedByMethodsAgreeOnTheirKind()
    {
        foreach (var group in MethodRegistry.All.SelectMany(d => d.Parameters).Where(p => p.Flag is not null).GroupBy(p => p.Flag))
        {
            Assert.Single(group.Select(p => p.SwitchValue).Distinct());
        }
    }

    /// <summary>Settings whose probe needs no file (a weights file's probe names a test fixture of another project, and
    /// the IQA weight is valid only with it).</summary>
    public static IEnumerable<object[]> PlainSettings =>
        MethodRegistry.All.SelectMany(d => d.Parameters
            .Where(p => !p.Probe!.StartsWith('{') && !p.ProbeWith.Values.Any(v => v.StartsWith('{')))
            .Select(p => new object[] { d.Name, p.Name }));

    [Theory]
    [MemberData(nameof(PlainSettings))]
    public void EverySettingIsASweepName(string method, string name)
    {
        var parameter = MethodRegistry.Find(method).Parameters.Single(p => p.Name == name);
        var swept = Assert.Single(SweepParameters.Expand(new DenoiseOptions { Method = method }, [$"{name}={parameter.Probe}"]));
        Assert.Equal(parameter.ValueIn(parameter.Apply(new DenoiseOptions { Method = method }, parameter.Probe!)), parameter.ValueIn(swept));
        Assert.Contains($"{name}=", SweepParameters.Label(swept));
    }
}
