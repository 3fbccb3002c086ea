using Xunit;

// Denoiser applies its thread count through the engine's process-wide Threading.MaxThreads, and the kernels split
// their sums by thread count: two test classes running at once would change each other's split, and the
// bit-for-bit comparisons (same seed and threads → same output; LoTA stage 1 = ZS-N2N) would fail by an ulp.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
