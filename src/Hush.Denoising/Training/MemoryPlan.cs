namespace Hush.Denoising.Training;

/// <summary>How a run fits its memory budget: whole-image training steps, or random patches when a whole-image
/// step would not fit; and the inference tile size. The figures per pixel are ZS-N2N's (48-channel layers dominate,
/// whatever the image's channel count): bench/RESULTS.md measures about 1.7 KB per pixel at the peak of a training
/// step, and a tiled 8192² run measured about 1.6 KB per tile pixel for a forward pass (Winograd transforms included);
/// both are rounded up here to leave room for the runtime.</summary>
internal sealed record MemoryPlan(int? TrainingPatch, int InferenceTile)
{
    public const long TrainingBytesPerPixel = 2048;
    public const long InferenceBytesPerPixel = 2048;

    /// <summary>Copies of the image a stack run holds besides the network's buffers (the file's bytes, the decoded
    /// samples, the [0,1] plane, the denoised plane and the output samples), in float32 samples per pixel and channel.</summary>
    private const long ImageCopies = 5;

    /// <summary>Plans for an image of <paramref name="width"/>×<paramref name="height"/>×<paramref name="channels"/>
    /// within <paramref name="budgetBytes"/> (the process's whole budget: the image copies come out of it first,
    /// and at least a quarter of it is left for the network).</summary>
    public static MemoryPlan For(int width, int height, int channels, long budgetBytes, int patchSize, int radius)
    {
        long pixels = (long)width * height;
        long imageBytes = pixels * channels * sizeof(float) * ImageCopies;
        long networkBytes = Math.Max(budgetBytes / 4, budgetBytes - imageBytes);

        int? patch = pixels * TrainingBytesPerPixel <= networkBytes ? null : patchSize;
        if (pixels * InferenceBytesPerPixel <= networkBytes)
            return new MemoryPlan(patch, int.MaxValue);
        // The largest square tile whose haloed input fits, and at least 64 pixels; no larger than a training patch,
        // whose step already showed it fits: bigger tiles are no faster per pixel, they only hold more memory (a 12 GB
        // default budget let an 8192² run grow to 12 GB of tiles, where patch-sized tiles keep it under 2 GB).
        int side = (int)Math.Sqrt(networkBytes / (double)InferenceBytesPerPixel) - 2 * radius;
        return new MemoryPlan(patch, Math.Max(Math.Min(side, patch ?? int.MaxValue), 64));
    }

    /// <summary>The budget when none is given: half the memory the runtime says this process may use (physical
    /// memory, or the container's limit), leaving the rest to whatever else runs on the machine.</summary>
    public static long DefaultBudget() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2;
}
