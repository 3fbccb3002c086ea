using System.Text.Json;
using Hush.Cli.Commands;
using Hush.Denoising;
using Hush.Denoising.Reports;
using Hush.Denoising.Training;
using Hush.Imaging;
using Hush.Testing;
using static Hush.Cli.Tests.CliHarness;

namespace Hush.Cli.Tests;

/// <summary><c>hush denoise IN -o OUT --report PAGE</c>: the page is written after the output, self-contained, for every
/// kind of input; a report that could not be written is refused before training and leaves no file behind.</summary>
public class ReportCliTests
{
    /// <summary>A 64×64 RGB PNG with texture and noise.</summary>
    internal static string RgbPng(string path)
    {
        var rng = new Random(5);
        var data = new float[3 * 64 * 64];
        for (int i = 0; i < data.Length; i++)
        {
            int x = i % 64, y = i / 64 % 64, c = i / 4096;
            data[i] = (float)Math.Clamp(0.2 + 0.2 * c + ((x / 8 + y / 8) % 2) * 0.3 + 0.1 * (rng.NextDouble() - 0.5), 0, 1);
        }
        ImageFile.Write(new Image(64, 64, 3, data), path);
        return path;
    }

    [Fact]
    public void TheReportSaysWhatAutoChoseAndWhatTheTimeBudgetCut()
    {
        using var dir = new TempFolder();
        string camera = SharedData.PathOf("data", "real_noise", "SIDD", "NOISY_8.png"), page = dir.File("auto.html");
        Assert.Equal(0, Run("denoise", camera, "-o", dir.File("auto.png"), "-m", "auto", "--report", page, "-t", "1", "-q").ExitCode);
        string html = File.ReadAllText(page);
        Assert.Contains("chosen by --method auto", html);
        Assert.Contains("-m bm3d --decorrelate auto (correlated-camera-noise): The noise is spatially correlated", html);

        string input = RgbPng(dir.File("in.png")), cut = dir.File("cut.html");
        Assert.Equal(0, Run("denoise", input, "-o", dir.File("cut.png"), "--time-budget", "0.000001s", "--report", cut, "-m", "zs-n2n", "-t", "1", "-q").ExitCode);
        Assert.Contains("cut short, 1 steps taken", File.ReadAllText(cut));
        Assert.DoesNotContain("chosen by --method auto", File.ReadAllText(cut));
    }

    [Fact]
    public void TheReportIsWrittenWithTheRunsSeedAndMethodAndNamedInTheJson()
    {
        using var dir = new TempFolder();
        string input = RgbPng(dir.File("in.png")), page = dir.File("pages/run.html");
        var r = Run("denoise", input, "-o", dir.File("out.png"), "--report", page, "-m", "zs-n2n", "-n", "20", "--seed", "977", "--threads", "1", "--json");
        Assert.Equal(0, r.ExitCode);
        using var json = JsonDocument.Parse(r.Out);
        Assert.Equal(page, json.RootElement.GetProperty("report").GetString());
        string html = File.ReadAllText(page);
        var images = ReportPageChecks.AssertSelfContained(html);
        Assert.Equal(8, images.Count); // the comparison's two and three crops of each
        Assert.Equal(3, images[0].Image.Channels);
        Assert.Contains("<td>977</td>", html);
        Assert.Contains("<td>zs-n2n: ", html);
        Assert.Equal(20, ReportPageChecks.TrainingPoints(html));
        Assert.Contains($"<td>{dir.File("out.png")} (", html); // the output, with its size

        // Without --json the summary names the page; without --report the JSON has no report key.
        var text = Run("denoise", input, "-o", dir.File("out2.png"), "--report", dir.File("r2.html"), "-m", "zs-n2n", "-n", "5", "--threads", "1");
        Assert.Contains($"wrote the report {dir.File("r2.html")}", text.Out);
        var plain = Run("denoise", input, "-o", dir.File("out3.png"), "-m", "zs-n2n", "-n", "5", "--threads", "1", "--json");
        Assert.DoesNotContain("\"report\"", plain.Out);
    }

    [Fact]
    public void TheCurveHasAPointForEveryTrainingReportTheRunEmitted()
    {
        using var dir = new TempFolder();
        string input = RgbPng(dir.File("in.png")), page = dir.File("r.html");
        var seen = new ProgressRecorder();
        var options = new DenoiseOptions { Iterations = 17, Seed = 3, Threads = 1 };
        var settings = new DenoiseSettings(options, null, null, false, seen) { Report = page };
        var result = new DenoiseJob(new Denoiser(options), settings).Run(input, dir.File("out.png"), default);
        Assert.Equal(page, result.Report);
        int training = seen.Reports.Count(p => p.Phase == TrainingPhase.Training);
        Assert.Equal(17, training);
        Assert.Equal(training, ReportPageChecks.TrainingPoints(File.ReadAllText(page)));
    }

    /// <summary>Grey, RGB, 16-bit, float (in and outside [0,1]) and a stack all render; the denoised preview is shown
    /// in the noisy one's units, so its mean brightness matches the noisy preview's.</summary>
    [Theory]
    [InlineData("grey8", "in.png", "out.png")]
    [InlineData("rgb8", "in.png", "out.png")]
    [InlineData("uint16", "in.tif", "out.tif")]
    [InlineData("float-raw", "in.tif", "out.tif")]
    [InlineData("float-unit", "in.npy", "out.npy")]
    [InlineData("stack", "in.tif", "out.tif")]
    public void EveryKindOfInputRenders(string kind, string inName, string outName)
    {
        using var dir = new TempFolder();
        string input = dir.File(inName), page = dir.File("r.html");
        Func<long, double> noise = i => (i * 7919 % 251) / 250.0;
        switch (kind)
        {
            case "grey8": TestImages.Png(input, width: 64, height: 64); break;
            case "rgb8": RgbPng(input); break;
            case "uint16": TestImages.Stack(input, "YX", [64, 64], SampleType.UInt16, i => 20000 + 20000 * noise(i)); break;
            case "float-raw": TestImages.Stack(input, "YX", [64, 64], SampleType.Float32, i => 1000 + 3000 * noise(i)); break;
            case "float-unit": TestImages.Stack(input, "YX", [64, 64], SampleType.Float32, i => 0.2 + 0.6 * noise(i)); break;
            default: TestImages.Stack(input, "ZYX", [3, 64, 64], SampleType.UInt16, i => (i / 4096 + 1) * 12000 + 16000 * noise(i)); break;
        }
        var r = Run("denoise", input, "-o", dir.File(outName), "--report", page, "-m", "zs-n2n", "-n", "20", "--seed", "1", "--threads", "1");
        Assert.True(r.ExitCode == 0, r.Error);
        string html = File.ReadAllText(page);
        var images = ReportPageChecks.AssertSelfContained(html);
        var (denoised, noisy) = (images[0].Image, images[1].Image);
        Assert.Equal((64, 64), (noisy.Width, noisy.Height));
        Assert.InRange(denoised.Data.Average() - noisy.Data.Average(), -0.1, 0.1);
        Assert.InRange(noisy.Data.Max() - noisy.Data.Min(), 0.2, 1); // not a blank preview
        Assert.Equal(kind == "stack" ? 60 : 20, ReportPageChecks.TrainingPoints(html));
        if (kind == "stack") Assert.Contains("3, each denoised; the first (Z=0) is shown", html);
        // Read by its own min..max, the denoised float plane would be stretched to exactly black..white.
        if (kind == "float-raw") Assert.False(denoised.Data.Min() == 0 && denoised.Data.Max() == 1, "the denoised plane is not in the noisy one's units");
    }

    [Fact]
    public void RefusedReportsLeaveNoFiles()
    {
        using var dir = new TempFolder();
        string input = TestImages.Png(dir.File("in.png"), width: 32, height: 32);
        string existing = dir.File("old.html");
        File.WriteAllText(existing, "keep");
        File.Copy(input, dir.File("in.html"));
        Directory.CreateDirectory(dir.File("folder.html"));
        var before = Directory.GetFileSystemEntries(dir.Path).Order().ToArray();

        (string[] Args, string Message)[] refusals =
        [
            ([input, input, "-o", dir.File("batch"), "--report", dir.File("b.html")], "--report applies to a single input, not a batch"),
            ([input, "-o", dir.File("out.png"), "--report", existing], $"{existing}: already exists (pass --overwrite to replace it)"),
            ([dir.File("in.html"), "-o", dir.File("out.png"), "--report", dir.File("in.html")], "refusing to write the report over the input"),
            ([input, "-o", dir.File("out.png"), "--report", dir.File("r.png")], "a report is an HTML page; name it .html or .htm"),
            ([input, "-o", dir.File("out.png"), "--report", dir.File("folder.html")], "is a folder, not a file"),
        ];
        foreach (var (args, message) in refusals)
        {
            var r = Run(["denoise", .. args, "-m", "zs-n2n", "-n", "50", "--threads", "1"]);
            Assert.Equal(2, r.ExitCode);
            Assert.Contains(message, r.Error);
            Assert.Empty(r.Progress);
            Assert.Equal(before, Directory.GetFileSystemEntries(dir.Path).Order().ToArray());
        }
        Assert.Equal("keep", File.ReadAllText(existing));
    }

    [Fact]
    public void AnUnwritableReportFailsBeforeTrainingAndOverwriteReplacesAReport()
    {
        using var dir = new TempFolder();
        string input = TestImages.Png(dir.File("in.png"), width: 32, height: 32);
        string folder = OutputProbeTests.ReadOnlyFolder(dir);
        try
        {
            var r = Run("denoise", input, "-o", dir.File("out.png"), "--report", Path.Combine(folder, "r.html"), "-m", "zs-n2n", "-n", "50", "--threads", "1");
            Assert.Equal(1, r.ExitCode);
            Assert.StartsWith($"hush: {Path.Combine(folder, "r.html")}: cannot write: ", r.Error);
            Assert.Empty(r.Progress);
            Assert.False(File.Exists(dir.File("out.png")));
        }
        finally
        {
            OutputProbeTests.MakeWritable(folder, dir);
        }

        File.WriteAllText(dir.File("r.html"), "old");
        var again = Run("denoise", input, "-o", dir.File("out.png"), "--report", dir.File("r.html"), "--overwrite", "-m", "zs-n2n", "-n", "5", "--threads", "1");
        Assert.Equal(0, again.ExitCode);
        Assert.StartsWith("<!DOCTYPE html>", File.ReadAllText(dir.File("r.html")));
    }
}
