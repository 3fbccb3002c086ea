namespace Hush.Engine.Kernels;

/// <summary>How many parts a per-plane kernel splits into: one (the calling thread) below
/// <see cref="Par.ElementwiseThreshold"/> elements, else <see cref="Threading.MaxThreads"/>. The small tensors of a
/// U-Net's coarse levels and of channel attention ([N, C, 1, 1]) cost less than handing work to a worker, which on a
/// busy machine can wait a scheduler quantum. The split never changes a result: each plane's sums run in one part.</summary>
internal static class PlaneParts
{
    public static int For(long elements) => elements < Par.ElementwiseThreshold ? 1 : Threading.MaxThreads;
}
