namespace Hush.Denoising.Tests.Contract;

/// <summary>The model and resume capabilities over the registry, each in the method's probe run on the contract crop:
/// a method that declares <see cref="MethodCapabilities.ReusableModel"/> saves a model that, loaded and applied, gives
/// its denoise output bit for bit; one that declares <see cref="MethodCapabilities.Resumable"/> resumes a run cancelled
/// at a checkpoint to the bits of a run never stopped. The others refuse.</summary>
public class ModelContractTests
{
    /// <summary>A reusable model needs a network separate from training (one pass, or an ensemble of passes); every other method says why it has none.</summary>
    [Theory]
    [MemberData(nameof(ContractRuns.Methods), MemberType = typeof(ContractRuns))]
    public void AMethodWithoutAReusableModelSaysWhy(string method)
    {
        var d = MethodRegistry.Find(method);
        Assert.Equal(d.Can(MethodCapabilities.ReusableModel), d.NoReusableModel is null);
        if (d.Can(MethodCapabilities.ReusableModel)) Assert.True(d.Create() is ITrainableMethod or IEnsembleMethod);
        Assert.False(d.Can(MethodCapabilities.Classical) && d.Can(MethodCapabilities.Resumable));
    }

    [Theory]
    [MemberData(nameof(ContractRuns.Methods), MemberType = typeof(ContractRuns))]
    public void ASavedModelLoadedAndAppliedGivesTheDenoiseOutput(string method)
    {
        var options = ContractRuns.Probe(method);
        var d = MethodRegistry.Find(method);
        var result = new Denoiser(options).Denoise(ContractRuns.Noisy);
        if (!d.Can(MethodCapabilities.ReusableModel))
        {
            Assert.Null(result.Model);
            return;
        }

        var bytes = new MemoryStream();
        result.Model!.Save(bytes);
        bytes.Position = 0;
        var loaded = DenoiseModel.Load(bytes, "model");
        Assert.Equal((method, ContractRuns.Noisy.Channels, 42UL), (loaded.Method, loaded.Channels, loaded.Seed));
        Assert.Equal(DenoiseModel.Settings(options), DenoiseModel.Settings(loaded.Options));
        var applied = new Denoiser(new DenoiseOptions { Threads = 2 }).Apply(loaded, ContractRuns.Noisy);
        Assert.Equal(result.Output.Data, applied.Output.Data);
    }

    /// <summary>Stopped at the first checkpoint, resumed and stopped again at the last one before the end, then resumed
    /// to the end; and stopped only at the last one: both give the bits and final loss of a run never stopped. The last
    /// checkpoint lies in the later stage of a method that has two (lota-n2n's fine-tuning) and after the first of
    /// blind2grad's mask reallocations.</summary>
    [Theory]
    [MemberData(nameof(ContractRuns.Methods), MemberType = typeof(ContractRuns))]
    public void ARunCancelledAtACheckpointResumesToTheSameBits(string method)
    {
        using var dir = new TempDir();
        string state = Path.Combine(dir.Path, "run.ckpt.hush");
        var probe = ContractRuns.Probe(method);
        int every = Math.Max(1, probe.Iterations / 3), last = (probe.Iterations - 1) / every * every;
        var options = probe with { CheckpointEvery = every, CheckpointFile = state, CheckpointPasses = 1 };
        if (!MethodRegistry.Find(method).Can(MethodCapabilities.Resumable))
        {
            var refused = Assert.Throws<ArgumentException>(() => new Denoiser(options));
            Assert.Contains("cannot resume", refused.Message);
            return;
        }

        Assert.True(last > every, $"the probe run of {method} has one checkpoint");
        var whole = new Denoiser(probe).Denoise(ContractRuns.Noisy);
        ResumeRuns.AssertResumes(options, ContractRuns.Noisy, whole, every, last);
        ResumeRuns.AssertResumes(options, ContractRuns.Noisy, whole, last);
    }
}

/// <summary>A temporary folder, deleted with everything in it.</summary>
internal sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("hush-test-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
