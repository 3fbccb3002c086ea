namespace Hush.Denoising.Models;

/// <summary>What a resumable checkpoint holds besides the network's weights: the steps done, the optimiser's state (of
/// the training stage the step falls in), the state of every random stream the training draws from (in the order the
/// run registers them), a digest of the input, the thread count (the same bits need the same thread split), the side of
/// the random training patches (0: whole-image steps; the memory budget decides it, and another plan would train
/// differently) and the method's own state (<see cref="MethodState"/>).</summary>
internal sealed record TrainingState(int Step, Engine.Optim.AdamState Adam, IReadOnlyList<ulong[]> Streams, string InputDigest, int Threads,
    int Patch, MethodState State);
