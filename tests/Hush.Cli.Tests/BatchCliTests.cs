using System.Text.Json;
using Hush.Cli.Batch;
using Hush.Imaging;
using static Hush.Cli.Tests.CliHarness;

namespace Hush.Cli.Tests;

public class BatchCliTests
{
    private static readonly string[] Quick = ["-m", "zs-n2n", "-n", "2", "--seed", "1", "--threads", "1"];

    /// <summary>A folder "in" with <paramref name="count"/> small PNGs, one of them in a subfolder.</summary>
    private static string Inputs(TempFolder dir, int count)
    {
        string folder = Directory.CreateDirectory(dir.File("in")).FullName;
        Directory.CreateDirectory(Path.Combine(folder, "sub"));
        for (int i = 0; i < count; i++)
            TestImages.Png(Path.Combine(folder, i == 0 ? "sub" : "", $"img{i}.png"), seed: i);
        return folder;
    }

    private static JsonElement Summary(Outcome r) =>
        JsonDocument.Parse(r.Out.TrimEnd().Split('\n')[^1]).RootElement.Clone();

    private static string[] OutputsBelow(string folder) =>
        [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f)).Order(StringComparer.Ordinal)];

    [Fact]
    public void AFolderIsMirroredIntoTheOutputFolder()
    {
        using var dir = new TempFolder();
        string input = Inputs(dir, 3), output = dir.File("out");
        var r = Run(["denoise", input, "-o", output, "--json", .. Quick]);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(new[] { "img1.png", "img2.png", Path.Combine("sub", "img0.png") }, OutputsBelow(output));
        Assert.Equal(3, Summary(r).GetProperty("done").GetInt32());
        Assert.Equal(4, r.Out.TrimEnd().Split('\n').Length); // one report per file, then the summary
    }

    [Fact]
    public void OneCorruptFileFailsAloneWithExitFourAndTheOthersAreWritten()
    {
        using var dir = new TempFolder();
        string input = Inputs(dir, 3), output = dir.File("out");
        File.WriteAllBytes(Path.Combine(input, "bad.png"), [0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10, 0, 0]);
        var r = Run(["denoise", input, "-o", output, .. Quick]);
        Assert.Equal(4, r.ExitCode);
        var errors = r.Error.TrimEnd().Split('\n');
        Assert.Single(errors);
        Assert.Contains("bad.png", errors[0]);
        Assert.Equal(3, OutputsBelow(output).Length);
        Assert.Contains("3 done, 0 skipped, 1 failed", r.Out);
    }

    [Fact]
    public void AResumedBatchSkipsFinishedOutputsCleansTempLeftoversAndDoesTheRest()
    {
        using var dir = new TempFolder();
        string input = Inputs(dir, 4), output = Directory.CreateDirectory(dir.File("out")).FullName;
        // A killed run: two outputs finished (renamed into place), one write cut off (a temp file left).
        File.WriteAllText(Path.Combine(output, "img1.png"), "finished earlier");
        File.WriteAllText(Path.Combine(output, "img2.png"), "finished earlier");
        string stale = Path.Combine(output, ".img3.png.0123456789abcdef.tmp");
        File.WriteAllText(stale, "half");

        var r = Run(["denoise", input, "-o", output, "--json", .. Quick]);
        Assert.Equal(0, r.ExitCode);
        var summary = Summary(r);
        Assert.Equal((2, 2), (summary.GetProperty("done").GetInt32(), summary.GetProperty("skipped").GetInt32()));
        Assert.Equal("finished earlier", File.ReadAllText(Path.Combine(output, "img1.png")));
        Assert.False(File.Exists(stale));
        Assert.Equal(12, ImageFile.Read(Path.Combine(output, "img3.png")).Height);
        Assert.Equal(12, ImageFile.Read(Path.Combine(output, "sub", "img0.png")).Height);
    }

    [Fact]
    public void ShardsCoverEveryFileExactlyOnce()
    {
        using var dir = new TempFolder();
        string input = Inputs(dir, 7);
        var seen = new List<string>();
        for (int k = 0; k < 3; k++)
        {
            string output = dir.File($"out{k}");
            var r = Run(["denoise", input, "-o", output, "--shard", $"{k}/3", "-q", .. Quick]);
            Assert.Equal(0, r.ExitCode);
            var mine = OutputsBelow(output);
            Assert.InRange(mine.Length, 2, 3); // 7 files over 3 shards: 3, 2, 2
            seen.AddRange(mine);
        }
        Assert.Equal(OutputsBelow(input), seen.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TheShardComesFromSlurmOrKubernetesWhenNotGiven()
    {
        Func<string, string?> Env(params (string Key, string Value)[] vars) => k => vars.FirstOrDefault(v => v.Key == k).Value;
        Assert.Equal(new Shard(2, 4), Shard.Resolve(null, Env(("SLURM_ARRAY_TASK_ID", "3"), ("SLURM_ARRAY_TASK_MIN", "1"), ("SLURM_ARRAY_TASK_COUNT", "4"))));
        Assert.Equal(new Shard(3, 5), Shard.Resolve(null, Env(("JOB_COMPLETION_INDEX", "3"), ("HUSH_SHARD_COUNT", "5"))));
        Assert.Equal(new Shard(1, 2), Shard.Resolve("1/2", Env(("JOB_COMPLETION_INDEX", "3"), ("HUSH_SHARD_COUNT", "5"))));
        Assert.Equal(Shard.All, Shard.Resolve(null, Env()));
        Assert.Throws<UsageException>(() => Shard.Resolve(null, Env(("JOB_COMPLETION_INDEX", "0"))));
        Assert.Throws<UsageException>(() => Shard.Resolve("3/3", Env()));
        Assert.Throws<UsageException>(() => Shard.Resolve("a/b", Env()));
    }

    [Fact]
    public void AQuotedPatternIsExpandedAndSeveralFilesNeedAnOutputFolder()
    {
        using var dir = new TempFolder();
        string input = Inputs(dir, 3);
        TestImages.Stack(Path.Combine(input, "stack.npy"), "ZYX", [2, 8, 8], Hush.Imaging.SampleType.UInt8);
        var r = Run(["denoise", Path.Combine(input, "img*.png"), "-o", dir.File("out"), "-q", .. Quick]);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(new[] { "img1.png", "img2.png" }, OutputsBelow(dir.File("out")));

        string file = TestImages.Png(dir.File("f.png"));
        var clash = Run(["denoise", Path.Combine(input, "img1.png"), Path.Combine(input, "img2.png"), "-o", file, .. Quick]);
        Assert.Equal(2, clash.ExitCode);
        Assert.Contains("folder", clash.Error);
        Assert.Equal(2, Run(["denoise", file, "-o", dir.File("x.png"), "--shard", "0/2", .. Quick]).ExitCode);
        Assert.Equal(3, Run(["denoise", dir.File("none*.png"), "-o", dir.File("out2"), .. Quick]).ExitCode);
    }
}
