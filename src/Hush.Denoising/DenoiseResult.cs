using Hush.Imaging;

namespace Hush.Denoising;

/// <summary>What a run produced and exactly how: enough to repeat it.</summary>
public sealed record DenoiseResult(
    Image Output,
    string Method,
    int Iterations,
    ulong Seed,
    int Threads,
    double Seconds,
    float FinalLoss);
