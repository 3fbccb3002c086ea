using Hush.Denoising.Tests.Contract;

namespace Hush.Denoising.Tests;

/// <summary>Resuming a run that trains on random patches (the patch positions are a random stream the checkpoint
/// carries), and refusing a checkpoint whose run had another plan or seed.</summary>
public class ResumeTests
{
    // 1 MB leaves no room for a whole-image step of the 32×32 crop: 16-pixel patches, positions drawn per step.
    private static DenoiseOptions Patches(string state) => new()
    {
        Iterations = 9, Seed = 6, Threads = 1, MemoryBudget = 1 << 20, PatchSize = 16, CheckpointEvery = 3, CheckpointFile = state,
    };

    private static void StopAtTheFirstCheckpoint(DenoiseOptions options)
    {
        using var cancel = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            new Denoiser(options with { OnCheckpoint = _ => cancel.Cancel() }).Denoise(ContractRuns.Noisy, cancel: cancel.Token));
    }

    [Fact]
    public void APatchTrainedRunResumesToTheSameBits()
    {
        using var dir = new TempDir();
        var options = Patches(Path.Combine(dir.Path, "run.ckpt.hush"));
        var whole = new Denoiser(options with { CheckpointEvery = 0, CheckpointFile = null }).Denoise(ContractRuns.Noisy);
        var wholeImageSteps = new Denoiser(options with { CheckpointEvery = 0, CheckpointFile = null, MemoryBudget = 0 }).Denoise(ContractRuns.Noisy);
        Assert.NotEqual(wholeImageSteps.Output.Data, whole.Output.Data); // the patches make a difference to resume

        StopAtTheFirstCheckpoint(options);
        Assert.Equal(whole.Output.Data, new Denoiser(options).Denoise(ContractRuns.Noisy).Output.Data);
    }

    [Fact]
    public void ACheckpointOfAnotherPlanOrSeedIsRefusedAndKept()
    {
        using var dir = new TempDir();
        string state = Path.Combine(dir.Path, "run.ckpt.hush");
        var options = Patches(state);
        StopAtTheFirstCheckpoint(options);

        var plan = Assert.Throws<InvalidDataException>(() => new Denoiser(options with { MemoryBudget = 0 }).Denoise(ContractRuns.Noisy));
        Assert.Equal($"{state}: checkpoint of another run (trained on 16-pixel patches, this run on whole images: give the memory budget and patch size it had)", plan.Message);
        var seed = Assert.Throws<InvalidDataException>(() => new Denoiser(options with { Seed = 7 }).Denoise(ContractRuns.Noisy));
        Assert.Equal($"{state}: checkpoint of another run (seed 6, this run 7); delete it to start afresh", seed.Message);
        var model = Assert.Throws<InvalidDataException>(() => new Denoiser(options with { Iterations = 10 }).Denoise(ContractRuns.Noisy));
        Assert.Equal($"{state}: checkpoint of another run (other settings); delete it to start afresh", model.Message);
        Assert.True(File.Exists(state));

        // Without a seed, the resumed run takes the stopped run's.
        Assert.Equal(6UL, new Denoiser(options with { Seed = null }).Denoise(ContractRuns.Noisy).Seed);
        Assert.False(File.Exists(state));
    }
}
