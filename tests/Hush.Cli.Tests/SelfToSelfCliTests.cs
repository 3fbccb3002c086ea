using Hush.Denoising;
using Hush.Denoising.Training;
using Hush.Imaging;
using Hush.Testing;
using static Hush.Cli.Tests.CliHarness;

namespace Hush.Cli.Tests;

public class SelfToSelfCliTests
{
    [Theory]
    [InlineData("--mask-p", "0")]
    [InlineData("--mask-p", "1")]
    [InlineData("--mask-p", "nan")]
    [InlineData("--dropout", "1")]
    [InlineData("--dropout", "-0.5")]
    [InlineData("--passes", "0")]
    public void BadSelfToSelfSettingsExitTwo(string option, string value)
    {
        var r = Run("denoise", "in.png", "-o", "out.png", "-m", "self2self-plus", option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("hush:", r.Error);
    }

    [Fact]
    public void HelpSaysTheIqaTermIsOffAndNamesTheNewOptions()
    {
        var r = Run("denoise", "--help");
        Assert.Equal(0, r.ExitCode);
        foreach (string s in new[] { "self2self-plus", "self2self", "IQA", "--mask-p", "--dropout", "--passes" }) Assert.Contains(s, r.Out);
    }

    [Theory]
    [InlineData("self2self-plus")]
    [InlineData("self2self")]
    public void TheMethodsRunFromTheCommandLine(string method)
    {
        using var dir = new TempFolder();
        string input = dir.File("in.png");
        ImageFile.Write(ImageFile.Read(SharedData.PathOf("data", "Set12", "08.png")).Crop(0, 0, 24, 20), input);
        var r = Run("denoise", input, "-o", dir.File("out.png"), "-m", method, "-n", "2", "--passes", "2",
            "--mask-p", "0.5", "--dropout", "0.2", "--seed", "1", "--threads", "2", "--json");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains($"\"method\":\"{method}\"", r.Out);
        Assert.Contains("\"iterations\":2", r.Out);
        var output = ImageFile.Read(dir.File("out.png"));
        Assert.Equal((24, 20), (output.Width, output.Height));
    }

    /// <summary>--lr reaches every method: the method's default rate given explicitly changes nothing, another rate
    /// changes the result (same seed, threads and iterations).</summary>
    [Theory]
    [InlineData("self2self-plus", "0.0004")]
    [InlineData("self2self", "0.0001")]
    [InlineData("blind2grad", "0.0004")]
    [InlineData("zs-n2n", "0.001")]
    public void TheLearningRateOptionReachesTheMethod(string method, string defaultRate)
    {
        using var dir = new TempFolder();
        string input = dir.File("in.png");
        ImageFile.Write(ImageFile.Read(SharedData.PathOf("data", "Set12", "08.png")).Crop(0, 0, 24, 20), input);
        string[] passes = method == "zs-n2n" ? [] : ["--passes", "1"]; // a flag zs-n2n does not own is refused
        float[] Denoise(string name, params string[] extra)
        {
            var r = Run(["denoise", input, "-o", dir.File(name), "-m", method, "-n", "3", .. passes, "--seed", "4", "--threads", "1",
                "-q", "--bit-depth", "16", .. extra]);
            Assert.True(r.ExitCode == 0, r.Error);
            return ImageFile.Read(dir.File(name)).Data;
        }

        float[] plain = Denoise("plain.png"), same = Denoise("same.png", "--lr", defaultRate), other = Denoise("other.png", "--lr", "0.01");
        Assert.Equal(plain, same);
        Assert.NotEqual(plain, other);
        Assert.Equal(2, Run("denoise", input, "-o", dir.File("x.png"), "-m", method, "--lr", "-1").ExitCode);
    }
}

/// <summary>IQA weights, checkpoints and cancellation of <c>hush denoise</c> for the Self2Self family.</summary>
public class SelfToSelfRunCliTests
{
    private static string Input(TempFolder dir)
    {
        string input = dir.File("in.png");
        ImageFile.Write(ImageFile.Read(SharedData.PathOf("data", "Kodak24", "kodim03.png")).Crop(0, 0, 24, 20), input);
        return input;
    }

    private static string Weights() => Path.Combine(AppContext.BaseDirectory, "Fixtures", "paq2piq", "weights.htf");

    [Fact]
    public void IqaWeightsTurnTheTermOnAndBadOnesFailInOneLine()
    {
        using var dir = new TempFolder();
        string input = Input(dir);
        string[] common = ["-m", "self2self-plus", "-n", "1", "--passes", "1", "--seed", "1", "--threads", "2", "--json"];
        var off = Run(["denoise", input, "-o", dir.File("off.png"), .. common]);
        var on = Run(["denoise", input, "-o", dir.File("on.png"), .. common, "--iqa-weights", Weights(), "--iqa-weight", "1e-3"]);
        Assert.Equal(0, off.ExitCode);
        Assert.Equal(0, on.ExitCode);
        float Loss(string json) => System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("finalLoss").GetSingle();
        Assert.True(Loss(on.Out) > Loss(off.Out) + 0.1f, $"{Loss(on.Out)} vs {Loss(off.Out)}"); // λ(100 − s)² with λ = 1e-3

        File.WriteAllText(dir.File("bad.htf"), "not weights");
        var bad = Run("denoise", input, "-o", dir.File("bad.png"), "-m", "self2self-plus", "--iqa-weights", dir.File("bad.htf"));
        Assert.Equal(3, bad.ExitCode);
        Assert.StartsWith($"hush: iqa-weights {dir.File("bad.htf")}: not a Hush tensor file", bad.Error);
        Assert.Single(bad.Error.TrimEnd().Split('\n'));

        var wrongMethod = Run("denoise", input, "-o", dir.File("x.png"), "-m", "zs-n2n", "--iqa-weights", Weights());
        Assert.Equal(2, wrongMethod.ExitCode);
        var lambdaAlone = Run("denoise", input, "-o", dir.File("x.png"), "-m", "self2self-plus", "--iqa-weight", "1e-8");
        Assert.Equal(2, lambdaAlone.ExitCode);
        Assert.False(File.Exists(dir.File("x.png")));
    }

    [Fact]
    public void HelpSaysTheIqaTermIsOffByDefaultAndNamesTheCheckpointOptions()
    {
        var r = Run("denoise", "--help");
        foreach (string s in new[] { "--iqa-weights", "--iqa-weight", "Default: off", "--checkpoint-every", "--checkpoint-passes", "ckpt" })
            Assert.Contains(s, r.Out);
    }

    /// <summary>Progress after each step shows whether the checkpoint file exists yet; it is gone once the output is written.</summary>
    [Theory]
    [InlineData("self2self-plus")]
    [InlineData("zs-n2n")]
    public void CheckpointsAreWrittenBesideTheOutputAndRemovedAtTheEnd(string method)
    {
        using var dir = new TempFolder();
        string input = Input(dir), output = dir.File("out.png"), checkpoint = dir.File("out.ckpt.png");
        var seen = new List<(int Iteration, bool Exists)>();
        var options = new DenoiseOptions
        {
            Method = method, Iterations = 3, Seed = 2, Threads = 2, CheckpointEvery = 2, CheckpointPasses = 2,
            MethodOptions = method == "self2self-plus" ? new Self2SelfPlusOptions { Passes = 1 } : null,
        };
        var observer = new Observer(p => { if (p.Phase == TrainingPhase.Training) seen.Add((p.Iteration, File.Exists(checkpoint))); });
        var job = new Hush.Cli.Commands.DenoiseJob(new Denoiser(options), new Hush.Cli.Commands.DenoiseSettings(options, null, null, false, observer));
        job.Run(input, output, CancellationToken.None);
        // Progress for step i comes before its checkpoint: the file appears after step 2 (seen at step 3).
        Assert.Equal(new[] { (1, false), (2, false), (3, true) }, seen);
        Assert.True(File.Exists(output));
        Assert.False(File.Exists(checkpoint));

        // The checkpoint is refused over an existing file without --overwrite, like the output.
        string other = dir.File("other.png"), otherCheckpoint = dir.File("other.ckpt.png");
        File.WriteAllText(otherCheckpoint, "mine");
        string[] passes = method == "zs-n2n" ? [] : ["--passes", "1"];
        var r = Run(["denoise", input, "-o", other, "-m", method, "-n", "2", .. passes, "--checkpoint-every", "1"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"hush: {otherCheckpoint}: already exists (pass --overwrite to replace it)", r.Error.Trim());
        Assert.Equal("mine", File.ReadAllText(otherCheckpoint));
        Assert.False(File.Exists(other));
        r = Run(["denoise", input, "-o", other, "-m", method, "-n", "2", .. passes, "--checkpoint-every", "1", "--overwrite"]);
        Assert.Equal(0, r.ExitCode);
        Assert.True(File.Exists(other));
        Assert.False(File.Exists(otherCheckpoint));
        Assert.Equal(2, Run("denoise", input, input, "-o", dir.File("batch"), "-m", method, "--checkpoint-every", "1").ExitCode); // not for batches
    }

    [Fact]
    public void CancellingDuringTheEnsembleWritesNoOutput()
    {
        using var dir = new TempFolder();
        string input = Input(dir), output = dir.File("out.png");
        using var cts = new CancellationTokenSource();
        int passes = 0;
        var observer = new Observer(p =>
        {
            if (p.Phase != TrainingPhase.Ensemble) return;
            passes++;
            cts.Cancel(); // Ctrl+C while the passes are being averaged
        });
        var options = new DenoiseOptions { Method = "self2self-plus", Iterations = 2, Seed = 2, Threads = 2, MethodOptions = new Self2SelfPlusOptions { Passes = 50 } };
        var job = new Hush.Cli.Commands.DenoiseJob(new Denoiser(options), new Hush.Cli.Commands.DenoiseSettings(options, null, null, false, observer));
        Assert.ThrowsAny<OperationCanceledException>(() => job.Run(input, output, cts.Token));
        Assert.Equal(1, passes); // stopped before the second pass
        Assert.Equal(new[] { "in.png" }, Directory.GetFiles(dir.Path).Select(Path.GetFileName)); // no output, no temp file

        // Through the command line: one line, exit 1, nothing written.
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var r = RunCancellable(cancelled.Token, "denoise", input, "-o", output, "-m", "self2self-plus", "-n", "2", "--passes", "3");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("hush: cancelled; no output written", r.Error.Trim());
        Assert.False(File.Exists(output));
    }

    private sealed class Observer(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
