using Hush.Cli.Commands;
using Hush.Denoising;
using Hush.Denoising.Methods.Blind2Grad;
using Hush.Denoising.Methods.LotaN2N;
using Hush.Denoising.Training;
using static Hush.Cli.Tests.CliHarness;

namespace Hush.Cli.Tests;

/// <summary><c>hush denoise --save-model</c>, <c>hush apply</c> and resuming a checkpointed run with the same command.</summary>
public class ApplyCliTests
{
    private static string[] Denoise(string input, string output, params string[] more) =>
        ["denoise", input, "-o", output, "-m", "zs-n2n", "-n", "6", "--seed", "3", "-t", "1", "-q", .. more];

    [Fact]
    public void ASavedModelAppliedToItsInputWritesTheDenoiseOutput()
    {
        using var dir = new TempFolder();
        string input = TestImages.Png(dir.File("in.png")), model = dir.File("zs.hushmodel");
        Assert.Equal(0, Run(Denoise(input, dir.File("denoised.png"), "--save-model", model)).ExitCode);
        var r = Run("apply", model, input, "-o", dir.File("applied.png"), "-t", "1");
        Assert.Equal((0, ""), (r.ExitCode, r.Error));
        Assert.StartsWith("wrote ", r.Out);
        Assert.Equal(File.ReadAllBytes(dir.File("denoised.png")), File.ReadAllBytes(dir.File("applied.png")));

        // The output rules of denoise: no overwrite without --overwrite, never over an input (the model included).
        Assert.Equal(2, Run("apply", model, input, "-o", dir.File("applied.png")).ExitCode);
        Assert.Equal(0, Run("apply", model, input, "-o", dir.File("applied.png"), "--overwrite", "-q").ExitCode);
        Assert.Equal(2, Run(Denoise(input, dir.File("again.png"), "--save-model", model)).ExitCode); // the model exists
    }

    /// <summary>An ensemble method's model runs the same passes (the saved --passes, drawn from the saved seed).</summary>
    [Theory]
    [InlineData("self2self")]
    [InlineData("self2self-plus")]
    public void AnEnsembleMethodsSavedModelAppliedToItsInputWritesTheDenoiseOutput(string method)
    {
        using var dir = new TempFolder();
        string input = TestImages.Png(dir.File("in.png")), model = dir.File("s2s.hushmodel");
        var denoise = Run(["denoise", input, "-o", dir.File("denoised.png"), "-m", method, "-n", "2", "--passes", "2", "--seed", "3",
            "-t", "1", "-q", "--save-model", model]);
        Assert.Equal((0, ""), (denoise.ExitCode, denoise.Error));
        Assert.Equal(0, Run("apply", model, input, "-o", dir.File("applied.png"), "-t", "1", "-q").ExitCode);
        Assert.Equal(File.ReadAllBytes(dir.File("denoised.png")), File.ReadAllBytes(dir.File("applied.png")));
        Assert.Equal("2", DenoiseModel.Load(model).Options.MethodOptions switch
        {
            Hush.Denoising.Methods.Self2Self.Self2SelfOptions o => o.Passes.ToString(),
            Hush.Denoising.Methods.Self2SelfPlus.Self2SelfPlusOptions o => o.Passes.ToString(),
            var other => $"{other}",
        });
    }

    [Fact]
    public void ApplyingAStacksSharedModelToItsPlanesWritesTheSharedModelRunsOutput()
    {
        using var dir = new TempFolder();
        string stack = TestImages.Stack(dir.File("stack.tif"), "ZYX", [4, 16, 16], Hush.Imaging.SampleType.UInt16);
        string model = dir.File("shared.hushmodel");
        Assert.Equal(0, Run(Denoise(stack, dir.File("trained.tif"), "--train-planes", "2", "--save-model", model)).ExitCode);
        Assert.Equal(0, Run("apply", model, stack, "-o", dir.File("applied.tif"), "-t", "1", "-q").ExitCode);
        Assert.Equal(File.ReadAllBytes(dir.File("trained.tif")), File.ReadAllBytes(dir.File("applied.tif")));

        // One model per plane is not one model to save: refused before training.
        var r = Run(Denoise(stack, dir.File("each.tif"), "--save-model", dir.File("each.hushmodel")));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--save-model needs one model", r.Error);
        Assert.False(File.Exists(dir.File("each.tif")));
    }

    [Theory]
    [InlineData("dip", "its output is the running average of what the network draws from a fixed random input during training; no network maps an image to its denoised version")]
    [InlineData("noise2fast", "its output is the mean of predictions buffered during training, per channel, with min-max statistics of that image")]
    [InlineData("bm3d", "it trains nothing")]
    public void MethodsWithoutAReusableNetworkRefuseSaveModelBeforeTraining(string method, string why)
    {
        using var dir = new TempFolder();
        string input = TestImages.Png(dir.File("in.png"));
        var r = Run("denoise", input, "-o", dir.File("out.png"), "-m", method, "--save-model", dir.File("m.hushmodel"));
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"hush: --save-model: method {method} leaves no reusable network ({why}); methods with a reusable network: zs-n2n, lota-n2n, self2self-plus, self2self", r.Error.TrimEnd());
        Assert.Equal(new[] { "in.png" }, Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void SelfToSelfPlusWithTheOutputAverageRefusesSaveModelBeforeTraining()
    {
        using var dir = new TempFolder();
        string input = TestImages.Png(dir.File("in.png"));
        var r = Run("denoise", input, "-o", dir.File("out.png"), "-m", "self2self-plus", "--output-ema", "0.99",
            "--save-model", dir.File("m.hushmodel"));
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("hush: --save-model: this self2self-plus setting outputs an average kept during training, not the network's passes;", r.Error);
        Assert.Equal(new[] { "in.png" }, Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void AnUnusableModelFileExitsWithCode5InOneLine()
    {
        using var dir = new TempFolder();
        string input = TestImages.Png(dir.File("in.png")), model = dir.File("bad.hushmodel");
        File.WriteAllText(model, "not a model");
        var r = Run("apply", model, input, "-o", dir.File("out.png"));
        Assert.Equal((5, $"hush: {model}: not a Hush model file (no HUSHMODL magic)"), (r.ExitCode, r.Error.TrimEnd()));

        // A colour model on a grey image: the channel count is checked before anything is written.
        string colour = dir.File("colour.png");
        Hush.Imaging.ImageFile.Write(new Hush.Imaging.Image(8, 8, 3, new float[192]), colour);
        Assert.Equal(0, Run(Denoise(colour, dir.File("c.png"), "--save-model", dir.File("rgb.hushmodel"))).ExitCode);
        r = Run("apply", dir.File("rgb.hushmodel"), input, "-o", dir.File("out.png"));
        Assert.Equal((5, $"hush: {input}: the model (zs-n2n) takes 3 colour channels, the image has 1"), (r.ExitCode, r.Error.TrimEnd()));
        Assert.False(File.Exists(dir.File("out.png")));
    }

    /// <summary>Ctrl+C after a checkpoint, then the same command again: it resumes, gives the bits of a run never stopped,
    /// and removes the checkpoint and its interim image.</summary>
    [Fact]
    public void TheSameCommandResumesAStoppedRunToTheSameBits()
    {
        using var dir = new TempFolder();
        string input = TestImages.Png(dir.File("in.png"), width: 32, height: 32), output = dir.File("out.png");
        string[] args = ["denoise", input, "-o", output, "-m", "zs-n2n", "-n", "12", "--seed", "3", "-t", "1", "-q", "--checkpoint-every", "4"];
        Assert.Equal(0, Run(["denoise", input, "-o", dir.File("whole.png"), "-m", "zs-n2n", "-n", "12", "--seed", "3", "-t", "1", "-q"]).ExitCode);

        var options = new DenoiseOptions { Iterations = 12, Seed = 3, Threads = 1, CheckpointEvery = 4 };
        using var cancel = new CancellationTokenSource();
        var observer = new Observer(p => { if (p.Iteration == 6) cancel.Cancel(); });
        var job = new DenoiseJob(new Denoiser(options), new DenoiseSettings(options, null, null, false, observer));
        Assert.ThrowsAny<OperationCanceledException>(() => job.Run(input, output, cancel.Token));
        Assert.True(File.Exists(dir.File("out.ckpt.hush")) && File.Exists(dir.File("out.ckpt.png")));

        var r = Run(args);
        Assert.Equal((0, ""), (r.ExitCode, r.Error));
        Assert.Equal(File.ReadAllBytes(dir.File("whole.png")), File.ReadAllBytes(output));
        Assert.Equal(new[] { "in.png", "out.png", "whole.png" }, Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order());
    }

    /// <summary>The same for methods with state of their own in the checkpoint: lota-n2n stopped in its fine-tuning
    /// stage (stage 2's optimiser and proxies), blind2grad between two of its mask's reallocations (at steps 3 and 5).</summary>
    [Theory]
    [InlineData("lota-n2n", 10)]
    [InlineData("blind2grad", 4)]
    public void AMethodWithStateOfItsOwnResumesThroughTheSameCommand(string method, int cancelAt)
    {
        using var dir = new TempFolder();
        string input = TestImages.Png(dir.File("in.png"), width: 32, height: 32), output = dir.File("out.png");
        bool lota = method == "lota-n2n";
        string[] flags = lota ? ["-n", "12", "--fine-tune-iterations", "6"] : ["-n", "6", "--passes", "2", "--cycle-length", "2"];
        string[] common = ["-m", method, .. flags, "--seed", "3", "-t", "1", "-q"];
        Assert.Equal(0, Run(["denoise", input, "-o", dir.File("whole.png"), .. common]).ExitCode);

        var options = new DenoiseOptions
        {
            Method = method, Iterations = lota ? 12 : 6, Seed = 3, Threads = 1, CheckpointEvery = lota ? 4 : 3,
            MethodOptions = lota ? new LotaN2NOptions { FineTuneIterations = 6 } : new Blind2GradOptions { Passes = 2, CycleLength = 2 },
        };
        using var cancel = new CancellationTokenSource();
        var observer = new Observer(p => { if (p.Iteration == cancelAt) cancel.Cancel(); });
        var job = new DenoiseJob(new Denoiser(options), new DenoiseSettings(options, null, null, false, observer));
        Assert.ThrowsAny<OperationCanceledException>(() => job.Run(input, output, cancel.Token));
        Assert.True(File.Exists(dir.File("out.ckpt.hush")));

        var r = Run(["denoise", input, "-o", output, .. common, "--checkpoint-every", lota ? "4" : "3"]);
        Assert.Equal((0, ""), (r.ExitCode, r.Error));
        Assert.Equal(File.ReadAllBytes(dir.File("whole.png")), File.ReadAllBytes(output));
        // Without -q the same command says that it resumes (the checkpoint is gone now: cancel a fresh run again).
        using var again = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() => new DenoiseJob(new Denoiser(options),
            new DenoiseSettings(options, null, null, false, new Observer(p => { if (p.Iteration == cancelAt) again.Cancel(); }))).Run(input, dir.File("again.png"), again.Token));
        Assert.True(File.Exists(dir.File("again.ckpt.hush")));
        var loud = Run(["denoise", input, "-o", dir.File("again.png"), .. common[..^1], "--checkpoint-every", lota ? "4" : "3"]);
        Assert.Equal(0, loud.ExitCode);
        Assert.Contains($"resuming the stopped run from {dir.File("again.ckpt.hush")}", loud.Error);
        Assert.Equal(File.ReadAllBytes(dir.File("whole.png")), File.ReadAllBytes(dir.File("again.png")));
        Assert.Equal(new[] { "again.png", "in.png", "out.png", "whole.png" }, Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order());
    }

    /// <summary>The stopping rule's kept weights are not in a checkpoint: such a run writes interim images only.</summary>
    [Fact]
    public void ARunWithTheStoppingRuleCheckpointsWithoutResumeState()
    {
        using var dir = new TempFolder();
        string input = TestImages.Png(dir.File("in.png"), width: 32, height: 32);
        var r = Run("denoise", input, "-o", dir.File("out.png"), "-m", "zs-n2n", "-n", "6", "--early-stop", "--checkpoint-every", "2", "-t", "1", "-q");
        Assert.Equal((0, ""), (r.ExitCode, r.Error));
        Assert.Equal(new[] { "in.png", "out.png" }, Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void ACheckpointOfAnotherRunIsRefusedWithCode5()
    {
        using var dir = new TempFolder();
        string input = TestImages.Png(dir.File("in.png"), width: 32, height: 32), output = dir.File("out.png");
        var options = new DenoiseOptions { Iterations = 12, Seed = 3, Threads = 1, CheckpointEvery = 4 };
        using var cancel = new CancellationTokenSource();
        var job = new DenoiseJob(new Denoiser(options), new DenoiseSettings(options, null, null, false, new Observer(p => { if (p.Iteration == 5) cancel.Cancel(); })));
        Assert.ThrowsAny<OperationCanceledException>(() => job.Run(input, output, cancel.Token));

        var r = Run("denoise", input, "-o", output, "-m", "zs-n2n", "-n", "12", "--seed", "4", "-t", "1", "-q", "--checkpoint-every", "4");
        Assert.Equal((5, $"hush: {dir.File("out.ckpt.hush")}: checkpoint of another run (seed 3, this run 4); delete it to start afresh"),
            (r.ExitCode, r.Error.TrimEnd()));
        Assert.False(File.Exists(output));
    }

    private sealed class Observer(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
