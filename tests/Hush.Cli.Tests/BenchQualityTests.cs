using System.Globalization;
using System.Text.Json;
using Hush.Cli.Quality;
using Hush.Denoising.Noise;
using Hush.Imaging;
using Hush.Testing;
using static Hush.Cli.Tests.CliHarness;

namespace Hush.Cli.Tests;

/// <summary><c>hush bench quality</c> on 48×48 crops of two Kodak images, 10–30 iterations: a few seconds.</summary>
public class BenchQualityTests
{
    private const string Header =
        "method,options,image,noise,noisy_psnr,noisy_ssim,psnr,ssim,ref_psnr,ref_ssim,delta_psnr,delta_ssim,seconds,iterations,seed,threads";

    private static readonly string[] TwoKodak =
        [SharedData.PathOf("data", "Kodak24", "kodim01.png"), SharedData.PathOf("data", "Kodak24", "kodim03.png")];

    private static Outcome Bench(string output, params string[] extra) =>
        Run(["bench", "quality", "--clean", .. TwoKodak, "--crop", "48x48", "--noise", "g25", "--threads", "1", "-o", output, .. extra]);

    private static List<Dictionary<string, string>> ReadCsv(string path)
    {
        var lines = File.ReadAllLines(path);
        Assert.Equal(Header, lines[0]);
        var names = lines[0].Split(',');
        return lines.Skip(1).Select(l => names.Zip(l.Split(',')).ToDictionary(p => p.First, p => p.Second)).ToList();
    }

    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    [Fact]
    public void WritesTheThreeTablesWithOneRowPerImageEachBetterThanItsNoisyInputAndJsonMatchingCsv()
    {
        using var dir = new TempFolder();
        string results = dir.File("results");
        var r = Bench(results, "--iterations", "30", "--json");
        Assert.Equal(0, r.ExitCode);
        foreach (string name in new[] { "results.md", "results.csv", "results.json" })
            Assert.True(File.Exists(Path.Combine(results, name)), name);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(results, "runs"), "*.json").Length);
        Assert.Empty(Directory.GetFiles(results, "*.tmp", SearchOption.AllDirectories));

        var rows = ReadCsv(Path.Combine(results, "results.csv"));
        Assert.Equal(["Kodak24/kodim01", "Kodak24/kodim03"], rows.Select(x => x["image"]));
        foreach (var row in rows)
        {
            Assert.Equal(("zs-n2n", "g25", "30", "0", "1"), (row["method"], row["noise"], row["iterations"], row["seed"], row["threads"]));
            Assert.Equal("iterations=30", row["options"]);
            Assert.True(D(row["psnr"]) > D(row["noisy_psnr"]), $"{row["image"]}: {row["psnr"]} ≤ noisy {row["noisy_psnr"]}");
            Assert.InRange(D(row["noisy_psnr"]), 19, 22.5);
            Assert.Equal("", row["ref_psnr"]);
        }

        using var json = JsonDocument.Parse(r.Out);
        using (var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(results, "results.json"))))
            Assert.Equal(JsonSerializer.Serialize(file.RootElement), r.Out.TrimEnd()); // --json prints results.json
        var jsonRows = json.RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(rows.Count, jsonRows.Count);
        foreach (var (csv, js) in rows.Zip(jsonRows))
        {
            Assert.Equal(csv["image"], js.GetProperty("image").GetString());
            Assert.Equal(D(csv["psnr"]), js.GetProperty("psnr").GetDouble());
            Assert.Equal(D(csv["ssim"]), js.GetProperty("ssim").GetDouble());
            Assert.Equal(D(csv["noisy_psnr"]), js.GetProperty("noisyPsnr").GetDouble());
            Assert.Equal(D(csv["seconds"]), js.GetProperty("seconds").GetDouble());
            Assert.Equal(int.Parse(csv["iterations"], CultureInfo.InvariantCulture), js.GetProperty("iterations").GetInt32());
        }
        var summary = Assert.Single(json.RootElement.GetProperty("summary").EnumerateArray());
        Assert.Equal(2, summary.GetProperty("runs").GetInt32());
        Assert.Equal(rows.Average(x => D(x["psnr"])), summary.GetProperty("psnr").GetDouble(), 3);

        string md = File.ReadAllText(Path.Combine(results, "results.md"));
        Assert.Contains("| zs-n2n | iterations=30 | Kodak24/kodim03 | g25 |", md);
    }

    [Fact]
    public void ARestartComputesOnlyTheMissingRunAndRebuildsTheSameTable()
    {
        using var dir = new TempFolder();
        string results = dir.File("results"), runs = Path.Combine(results, "runs");
        Assert.Equal(0, Bench(results, "--iterations", "20", "-q").ExitCode);
        var files = Directory.GetFiles(runs).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(2, files.Length);
        var before = ReadCsv(Path.Combine(results, "results.csv"));
        var keptStamp = File.GetLastWriteTimeUtc(files[0]);
        byte[] keptBytes = File.ReadAllBytes(files[0]);
        File.Delete(files[1]);

        var again = Bench(results, "--iterations", "20");
        Assert.Equal(0, again.ExitCode);
        var progress = again.Error.Split('\n').Where(l => l.StartsWith('[')).ToList();
        Assert.Single(progress);
        Assert.StartsWith("[2/2]", progress[0]);
        Assert.Contains("1 already in", again.Error);
        Assert.Equal(keptStamp, File.GetLastWriteTimeUtc(files[0]));
        Assert.Equal(keptBytes, File.ReadAllBytes(files[0]));
        Assert.True(File.Exists(files[1]));

        // Same seed and thread count: the recomputed run scores the same; only its timing may differ.
        var after = ReadCsv(Path.Combine(results, "results.csv"));
        Assert.Equal(before.Count, after.Count);
        foreach (var (b, a) in before.Zip(after))
            foreach (string column in b.Keys.Where(k => k != "seconds"))
                Assert.Equal(b[column], a[column]);

        var third = Bench(results, "--iterations", "20");
        Assert.DoesNotContain(third.Error.Split('\n'), l => l.StartsWith('['));
        Assert.Contains("0 to compute", third.Error);
    }

    [Fact]
    public void ASweepGivesOneRowPerValueWithItsIterationCount()
    {
        using var dir = new TempFolder();
        string results = dir.File("results");
        var r = Bench(results, "--sweep", "iterations=10,20", "-q");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Out);
        var rows = ReadCsv(Path.Combine(results, "results.csv"));
        Assert.Equal(4, rows.Count);
        Assert.Equal(["10", "10", "20", "20"], rows.Select(x => x["iterations"]));
        Assert.Equal(["iterations=10", "iterations=10", "iterations=20", "iterations=20"], rows.Select(x => x["options"]));
        Assert.Equal(2, rows.Select(x => x["image"]).Distinct().Count());
    }

    [Fact]
    public void ARunWithTheStoppingRuleRecordsItsKeptStep()
    {
        using var dir = new TempFolder();
        string results = dir.File("results");
        var r = Run("bench", "quality", "--clean", TwoKodak[0], "--crop", "48x48", "--noise", "g25", "--threads", "1", "-o", results,
            "-n", "120", "--sweep", "early-stop=off,on");
        Assert.Equal(0, r.ExitCode);
        var runs = Directory.GetFiles(Path.Combine(results, "runs"), "*.json").Select(f => System.Text.Json.JsonDocument.Parse(File.ReadAllText(f)).RootElement).ToList();
        var withRule = Assert.Single(runs, x => x.GetProperty("options").GetString() == "iterations=120 early-stop=on");
        int kept = withRule.GetProperty("keptIteration").GetInt32();
        Assert.InRange(kept, 50, withRule.GetProperty("iterations").GetInt32()); // measured every 50 steps
        Assert.Contains($"weights of step {kept} of {withRule.GetProperty("iterations").GetInt32()}", r.Out + r.Error); // the progress line
        var without = Assert.Single(runs, x => x.GetProperty("options").GetString() == "iterations=120");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, without.GetProperty("keptIteration").ValueKind);
    }

    [Theory]
    [InlineData("zs-n2n", 1e-3f)]
    [InlineData("self2self-plus", 4e-4f)]
    [InlineData("self2self", 1e-4f)]
    [InlineData("blind2grad", 4e-4f)]
    public void TheLrSweepSetsTheRateTheMethodUsesAndRecordsIt(string method, float defaultRate)
    {
        var defaults = new Hush.Denoising.DenoiseOptions { Method = method };
        Assert.Equal(defaultRate, defaults.EffectiveLearningRate);
        Assert.Equal(Text(defaultRate), SweepParameters.Settings(defaults)["lr"]);
        var swept = SweepParameters.Expand(defaults, ["lr=2.5e-4"]);
        Assert.Equal(2.5e-4f, swept[0].EffectiveLearningRate);
        Assert.Equal("lr=0.00025", SweepParameters.Label(swept[0]));
        Assert.Equal(2.5e-4f, swept[0].LearningRate); // the one rate every method reads
    }

    private static string Text(float v) => v.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public void AMethodSettingIsSweptOnlyForItsMethod()
    {
        using var dir = new TempFolder();
        string results = dir.File("results");
        var r = Run(["bench", "quality", "--clean", TwoKodak[0], "--crop", "48x48", "--noise", "g25", "--threads", "1",
            "-o", results, "-m", "zs-n2n,lota-n2n", "-n", "12", "--sweep", "fine-tune=4", "--sweep", "lambda=0,3", "-q"]);
        Assert.Equal(0, r.ExitCode);
        var rows = ReadCsv(Path.Combine(results, "results.csv"));
        Assert.Equal(["lota-n2n iterations=12 lambda=0 fine-tune=4", "lota-n2n iterations=12 lambda=3 fine-tune=4", "zs-n2n iterations=12"],
            rows.Select(x => $"{x["method"]} {x["options"]}").Order(StringComparer.Ordinal));
        Assert.Equal(3, Directory.GetFiles(Path.Combine(results, "runs"), "*.json").Length);
    }

    [Fact]
    public void APairsFolderWithAReferenceTableShowsTheReferenceAndDelta()
    {
        using var dir = new TempFolder();
        var clean = ImageFile.Read(TwoKodak[0]).Crop(200, 200, 40, 32);
        ImageFile.Write(clean, dir.File("a_clean.png"));
        ImageFile.Write(NoiseSynthesis.AddGaussian(clean, 25, 1), dir.File("a_g25.png"), 16);
        File.WriteAllText(dir.File("reference.tsv"),
            "image\tnoise\tnoisy_file\tclean_file\tnoisy_psnr\tref_psnr\tref_ssim\nset/a\tg25\ta_g25.png\ta_clean.png\t20.1\t30.5\t0.8\n");
        string results = dir.File("results");
        var r = Run("bench", "quality", "--pairs", dir.Path, "-n", "10", "-t", "1", "-o", results);
        Assert.Equal(0, r.ExitCode);
        var row = Assert.Single(ReadCsv(Path.Combine(results, "results.csv")));
        Assert.Equal(("set/a", "g25", "30.5", "0.8"), (row["image"], row["noise"], row["ref_psnr"], row["ref_ssim"]));
        Assert.Equal(Math.Round(D(row["psnr"]) - 30.5, 4), D(row["delta_psnr"]), 3);
        Assert.Contains("Δ dB", r.Out); // the summary table on stdout

        // Without the table, NAME_clean + NAME_NOISE files pair up by name.
        File.Delete(dir.File("reference.tsv"));
        string named = dir.File("named");
        Assert.Equal(0, Run("bench", "quality", "--pairs", dir.Path, "-n", "10", "-t", "1", "-o", named, "-q").ExitCode);
        row = Assert.Single(ReadCsv(Path.Combine(named, "results.csv")));
        Assert.Equal(("a", "g25", ""), (row["image"], row["noise"], row["ref_psnr"]));
    }

    [Theory]
    [InlineData("--noise", "g25", "--sweep", "warp-factor=1,2")]
    [InlineData("--noise", "g25", "--sweep", "iterations=0")]
    [InlineData("--noise", "g25", "--sweep", "lr=fast")]
    [InlineData("--noise", "g25", "--sweep", "iterations=10", "--sweep", "iters=20")]
    [InlineData("--noise", "g25", "--methods", "zs-n2n,magic")]
    [InlineData("--noise", "g25", "--crop", "48by48")]
    [InlineData("--noise", "g25", "--crop", "4000x4000")]
    [InlineData("--noise", "q25")]
    [InlineData("--noise", "g25", "--noise", "g50")]
    [InlineData()]
    [InlineData("--noise", "g25", "--pairs", "somewhere")]
    public void BadOptionsExitTwoBeforeAnyWork(params string[] extra)
    {
        using var dir = new TempFolder();
        var r = Run(["bench", "quality", "--clean", TwoKodak[0], "-o", dir.File("results"), .. extra]);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("hush:", r.Error);
        Assert.False(Directory.Exists(dir.File("results")));
    }

    [Fact]
    public void MissingOrUnreadableInputsExitThreeNamingThePath()
    {
        using var dir = new TempFolder();
        var missing = Run("bench", "quality", "--pairs", dir.File("nowhere"), "-o", dir.File("r1"));
        Assert.Equal(3, missing.ExitCode);
        Assert.Contains("nowhere", missing.Error);
        Assert.Equal(3, Run("bench", "quality", "--clean", dir.File("none.png"), "--noise", "g25", "-o", dir.File("r2")).ExitCode);

        File.WriteAllBytes(dir.File("b_clean.png"), [0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10, 0, 0]);
        File.Copy(dir.File("b_clean.png"), dir.File("b_g25.png"));
        var corrupt = Run("bench", "quality", "--pairs", dir.Path, "-o", dir.File("r3"), "-n", "5");
        Assert.Equal(3, corrupt.ExitCode);
        Assert.Contains("b_clean.png", corrupt.Error);
        Assert.Single(corrupt.Error.TrimEnd().Split('\n')); // checked before any training
    }
}
