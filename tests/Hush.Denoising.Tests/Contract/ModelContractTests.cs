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

    [Theory]
    [MemberData(nameof(ContractRuns.Methods), MemberType = typeof(ContractRuns))]
    public void ARunCancelledAtACheckpointResumesToTheSameBits(string method)
    {
        using var dir = new TempDir();
        string state = Path.Combine(dir.Path, "run.ckpt.hush");
        var probe = ContractRuns.Probe(method);
        int every = Math.Max(1, probe.Iterations / 3);
        var options = probe with { CheckpointEvery = every, CheckpointFile = state, CheckpointPasses = 1 };
        if (!MethodRegistry.Find(method).Can(MethodCapabilities.Resumable))
        {
            var refused = Assert.Throws<ArgumentException>(() => new Denoiser(options));
            Assert.Contains("cannot resume", refused.Message);
            return;
        }

        var whole = new Denoiser(probe).Denoise(ContractRuns.Noisy);
        using var cancel = new CancellationTokenSource();
        var stopped = options with { OnCheckpoint = _ => cancel.Cancel() }; // stop right after the first checkpoint
        Assert.ThrowsAny<OperationCanceledException>(() => new Denoiser(stopped).Denoise(ContractRuns.Noisy, cancel: cancel.Token));
        Assert.True(File.Exists(state));
        Assert.Equal(every, DenoiseModelState(state));

        var resumed = new Denoiser(options).Denoise(ContractRuns.Noisy);
        Assert.Equal(whole.Output.Data, resumed.Output.Data);
        Assert.Equal(whole.FinalLoss, resumed.FinalLoss);
        Assert.False(File.Exists(state)); // the finished run removed it
    }

    private static int DenoiseModelState(string path)
    {
        using var stream = File.OpenRead(path);
        return Models.ModelCodec.Read(stream, path).Training!.Step;
    }
}

/// <summary>A temporary folder, deleted with everything in it.</summary>
internal sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("hush-test-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
