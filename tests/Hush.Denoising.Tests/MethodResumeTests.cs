using Hush.Denoising.Models;
using Hush.Denoising.Tests.Contract;
using Hush.Imaging;

namespace Hush.Denoising.Tests;

/// <summary>Resuming through the states each method keeps besides its weights, where the contract's probe runs do not
/// reach them: lota-n2n's frozen proxies (on patches, refreshed, across the stage boundary), noise2fast's per-channel
/// stops and fallback, dip's rollbacks, noise2self's random-neighbour draws and best model, and Self2Self+'s output
/// average. Each run is stopped at several checkpoints in turn and must end with the bits of a run never stopped.</summary>
public class MethodResumeTests
{
    private static DenoiseOptions Run(string method, string state, int iterations, int every, MethodOptions? settings = null, int threads = 1) =>
        new()
        {
            Method = method, Iterations = iterations, Seed = 8, Threads = threads, CheckpointEvery = every, CheckpointFile = state,
            MethodOptions = settings,
        };

    [Fact]
    public void TheContractProbesCheckpointInLotasFineTuningAndAfterBlind2GradsReallocation()
    {
        using var dir = new TempDir();
        string state = Path.Combine(dir.Path, "run.ckpt.hush");
        var lota = ContractRuns.Probe("lota-n2n") with { CheckpointEvery = 5, CheckpointFile = state }; // the contract's interval
        Assert.False(ResumeRuns.StopAt(lota, ContractRuns.Noisy, 5).State.Has("lota.proxy1"));
        var fineTuning = ResumeRuns.StopAt(lota, ContractRuns.Noisy, 15);
        Assert.True(fineTuning.State.Has("lota.proxy1"));
        Assert.Equal(15 - 8, fineTuning.Adam.StepCount); // stage 2's own optimiser, 7 steps into its 8

        var b2g = ContractRuns.Probe("blind2grad") with { CheckpointEvery = 1, CheckpointFile = Path.Combine(dir.Path, "b2g.ckpt.hush") };
        Assert.False(ResumeRuns.StopAt(b2g, ContractRuns.Noisy, 2).State.Has("b2g.estimate"));
        Assert.True(ResumeRuns.StopAt(b2g, ContractRuns.Noisy, 3).State.Has("b2g.estimate"));
    }

    /// <summary>Patch steps keep a frozen copy of the weights for the proxies: stopped exactly at the end of stage 1
    /// (no proxies yet; stage 1's optimiser in the file), then in stage 2 after a proxy refresh.</summary>
    [Fact]
    public void LotaOnPatchesResumesAtTheStageBoundaryAndAfterAProxyRefresh()
    {
        using var dir = new TempDir();
        var options = Run("lota-n2n", Path.Combine(dir.Path, "run.ckpt.hush"), 12, 3,
            new LotaN2NOptions { FineTuneIterations = 6, ProxyRefresh = 2, LearningRateStep = 4 }) with { MemoryBudget = 1 << 20, PatchSize = 16 };
        var states = ResumeRuns.AssertResumes(options, ContractRuns.Noisy, 6, 9);
        Assert.False(states[0].Has("lota.frozen.0"));
        Assert.True(states[1].Has("lota.frozen.0"));
    }

    /// <summary>One whole image keeps the proxies themselves; the λ ramp counts stage-2 steps from the resumed one.</summary>
    [Fact]
    public void LotaOnTheWholeImageResumesItsRefreshedProxiesAndRamp()
    {
        using var dir = new TempDir();
        var options = Run("lota-n2n", Path.Combine(dir.Path, "run.ckpt.hush"), 12, 3,
            new LotaN2NOptions { FineTuneIterations = 6, ProxyRefresh = 2, LambdaSchedule = LotaLambdaSchedule.Ramp, TraceWeight = 100 });
        var states = ResumeRuns.AssertResumes(options, ContractRuns.Noisy, 9);
        Assert.True(states[0].Has("lota.proxy1") && !states[0].Has("lota.frozen.0"));
    }

    /// <summary>A colour image whose first channel stops on its own, whose second is sparse dots (its result comes out
    /// nearly constant, so it retrains at the fallback rate) and whose third is constant (never trained): stopped before
    /// any channel is done, with one done and the ring buffer wrapped, and during the fallback.</summary>
    [Fact]
    public void Noise2FastResumesEachChannelsStopBufferAndFallback()
    {
        using var dir = new TempDir();
        var data = (float[])ContractRuns.Noisy.Data.Clone();
        int plane = 32 * 32;
        Array.Fill(data, 0f, plane, plane);
        for (int k = 0; k < 12; k++) data[plane + 37 + 83 * k] = 1f;
        Array.Fill(data, 0.5f, 2 * plane, plane);
        var image = ContractRuns.Noisy.WithData(data);
        var options = Run("noise2fast", Path.Combine(dir.Path, "run.ckpt.hush"), 20, 5, new Noise2FastOptions { Patience = 0, Buffer = 3 }) with
        {
            Seed = 3,
        };
        var states = ResumeRuns.AssertResumes(options, image, 5, 10, 15);
        Assert.Equal((false, false), (states[0].Flag("n2f.0.done"), states[0].Flag("n2f.1.done")));
        Assert.Equal((true, false, false), (states[1].Flag("n2f.0.done"), states[1].Flag("n2f.1.done"), states[1].Flag("n2f.1.fallback")));
        Assert.True(states[1].Count("n2f.0.pushed") > 3); // the buffer has wrapped
        Assert.True(states[2].Flag("n2f.1.fallback"));
        Assert.False(states[2].Has("n2f.2.done")); // the constant channel carries nothing
    }

    /// <summary>With a rollback threshold of 0 dB any PSNR drop rolls the weights back: stopped after the first
    /// rollback, after the second and once more with none in between (seed 4 gives these counts on all three SIMD
    /// paths; the trajectory depends on the convolutions' rounding).</summary>
    [Fact]
    public void DipResumesItsAverageAndRollbacks()
    {
        using var dir = new TempDir();
        var options = Run("dip", Path.Combine(dir.Path, "run.ckpt.hush"), 12, 3,
            new DipOptions { BacktrackDrop = 0f, InputDepth = 8 }, threads: 2) with { Seed = 4 };
        var states = ResumeRuns.AssertResumes(options, ContractRuns.Noisy, 3, 6, 9);
        Assert.Equal(new[] { 1, 2, 2 }, states.Select(s => s.Count("dip.rollbacks")));
    }

    [Fact]
    public void Noise2SelfResumesItsRandomNeighbourDrawsAndBestModel()
    {
        using var dir = new TempDir();
        var options = Run("noise2self", Path.Combine(dir.Path, "run.ckpt.hush"), 9, 3,
            new Noise2SelfOptions { Masking = Noise2SelfMasking.RandomNeighbour, ValidateEvery = 2, Layers = 4, Features = 16 });
        var states = ResumeRuns.AssertResumes(options, ContractRuns.Noisy, 3, 6);
        Assert.All(states, s => Assert.True(s.Has("n2s.kept.0") && float.IsFinite((float)s.Number("n2s.best-loss"))));
    }

    /// <summary>Self2Self+ with the output average: the average is the output, so it must come through the checkpoint.</summary>
    [Fact]
    public void Self2SelfPlusResumesItsOutputAverage()
    {
        using var dir = new TempDir();
        var options = Run("self2self-plus", Path.Combine(dir.Path, "run.ckpt.hush"), 6, 2, new Self2SelfPlusOptions { OutputEma = 0.5f, Passes = 1 });
        var states = ResumeRuns.AssertResumes(options, ContractRuns.Noisy, 2, 4);
        Assert.All(states, s => Assert.True(s.Has("s2s+.output-ema")));
    }

    /// <summary>A checkpoint without a state entry the method reads (made by a Hush that did not carry it) is refused
    /// in one line naming the file, and left alone.</summary>
    [Fact]
    public void ACheckpointMissingTheMethodsStateIsRefusedInOneLine()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "run.ckpt.hush");
        var options = Run("dip", path, 6, 2, new DipOptions { InputDepth = 8 }) with { Threads = 2 };
        ResumeRuns.StopAt(options, ContractRuns.Noisy, 2);
        DenoiseModel found;
        using (var stream = File.OpenRead(path)) found = ModelCodec.Read(stream, path);
        var stripped = new DenoiseModel(found.Options, found.Seed, found.Channels, found.Tensors,
            found.Training! with { State = new MethodState() });
        stripped.Save(path);

        var e = Assert.Throws<InvalidDataException>(() => new Denoiser(options).Denoise(ContractRuns.Noisy));
        Assert.Equal($"{path}: checkpoint has no state 'dip.average' (made by another version of Hush?)", e.Message);
        Assert.True(File.Exists(path));
    }

    /// <summary>The carried numbers survive the file as they were, infinities and NaN included.</summary>
    [Fact]
    public void CarriedArraysAndNumbersRoundTripThroughTheFile()
    {
        var state = new MethodState();
        state.Put("a", [1f, -2.5f, float.Epsilon]);
        foreach (var (name, value) in new[] { ("inf", double.PositiveInfinity), ("ninf", double.NegativeInfinity), ("nan", double.NaN), ("x", 0.1 + 0.2) })
            state.Put(name, value);
        var model = new Denoiser(new DenoiseOptions { Iterations = 1, Seed = 1, Threads = 1 }).Denoise(ContractRuns.Noisy).Model!;
        var training = new TrainingState(1, new Engine.Optim.AdamState(0, [], []), [], "digest", 1, 0, state);
        var bytes = new MemoryStream();
        ModelCodec.Write(new DenoiseModel(model.Options, model.Seed, model.Channels, model.Tensors, training), bytes);
        bytes.Position = 0;
        var read = ModelCodec.Read(bytes, "m").Training!.State;
        Assert.Equal(new[] { 1f, -2.5f, float.Epsilon }, read.Array("a", 3));
        Assert.Equal((double.PositiveInfinity, double.NegativeInfinity, 0.1 + 0.2), (read.Number("inf"), read.Number("ninf"), read.Number("x")));
        Assert.True(double.IsNaN(read.Number("nan")));
        Assert.Equal("m: state 'a' has 3 values, this run needs 4", Assert.Throws<InvalidDataException>(() => read.Array("a", 4)).Message);
    }
}
