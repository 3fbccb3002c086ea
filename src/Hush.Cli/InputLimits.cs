using Hush.Imaging;

namespace Hush.Cli;

/// <summary>Decoder limits that follow the memory budget: a file whose decoded samples alone would not fit the
/// budget is refused from its header, before anything is allocated for it.</summary>
internal static class InputLimits
{
    /// <summary>Limits for <paramref name="budgetBytes"/>; 0 means the denoiser's default budget, half the memory
    /// available to the process.</summary>
    public static DecoderLimits For(long budgetBytes) =>
        DecoderLimits.ForMemory(budgetBytes > 0 ? budgetBytes : Math.Max(1, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2));
}
