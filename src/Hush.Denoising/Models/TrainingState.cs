namespace Hush.Denoising.Models;

/// <summary>What a resumable checkpoint holds besides the network's weights: the steps done, the optimiser's state, the
/// state of every random stream the training draws from (in the order the run registers them), a digest of the input
/// and the thread count (the same bits need the same thread split).</summary>
internal sealed record TrainingState(int Step, Engine.Optim.AdamState Adam, IReadOnlyList<ulong[]> Streams, string InputDigest, int Threads);
