namespace Hush.Denoising.Methods;

/// <summary>What a method can do besides denoising one whole image, as its descriptor declares it. The registry test
/// checks each declaration against the implementation.</summary>
[Flags]
public enum MethodCapabilities
{
    /// <summary>None of the capabilities below.</summary>
    None = 0,

    /// <summary>Training and inference are separate steps with a bounded receptive field: a huge image trains on random
    /// patches and is denoised tile by tile (same output as one whole-image pass).</summary>
    PatchesAndTiles = 1,

    /// <summary>One trained model can denoise several planes of a stack (<see cref="DenoiseOptions.TrainPlanes"/>).</summary>
    SharedModel = 2,

    /// <summary>The method needs the noise level (σ), given or estimated.</summary>
    NeedsNoiseLevel = 4,

    /// <summary>Nothing is trained: the output depends on neither the seed nor the iteration count, there are no
    /// checkpoints, and progress counts the method's own units of work (Training phase).</summary>
    Classical = 8,

    /// <summary>Training ends in a network that denoises other images on its own (its output is that network's one
    /// pass, or the mean of its stochastic passes drawn from the seed, not something produced during training): it can
    /// be saved (<see cref="DenoiseModel"/>) and applied to further images without training
    /// (<see cref="Denoiser.Apply"/>).</summary>
    ReusableModel = 16,

    /// <summary>A run with <see cref="DenoiseOptions.CheckpointFile"/> saves its whole training state (weights,
    /// optimiser, random streams, step) at every checkpoint, and a stopped run resumes from it to the same bits as a run
    /// never stopped (same seed and threads).</summary>
    Resumable = 32,

    /// <summary>Training can stop when a held-out loss stops improving and end with the best weights
    /// (<see cref="DenoiseOptions.EarlyStop"/>).</summary>
    StoppingRule = 64,
}
