namespace Hush.Denoising.Auto;

/// <summary>What the choice may spend: the image's size, the worker threads and the time budget
/// (<see cref="DenoiseOptions.TimeBudget"/>; null = no limit given, which the choice reads as "in seconds").</summary>
public sealed record RunTime(int Width, int Height, int Threads, TimeSpan? Budget)
{
    /// <summary>Self2Self+ with the official SIDD settings (1000 steps, 500 passes), in seconds: 413 ms a step and
    /// 146 ms a pass at 256² RGB on 2 threads (bench/RESULTS.md, U-Net speed), scaled by the pixel count, 1.75× on one
    /// thread (856 s measured for the 256² SIDD pair on one shared thread) and 1.3× for machines without AVX-512.</summary>
    public double Self2SelfPlusSiddSeconds =>
        (double)Width * Height / (256 * 256) * (1000 * 0.413 + 500 * 0.146) * (Threads >= 2 ? 1.0 : 1.75) * 1.3;

    /// <summary>True when <see cref="Budget"/> holds a Self2Self+ SIDD run.</summary>
    public bool AllowsSelf2SelfPlusSidd => Budget is TimeSpan b && b.TotalSeconds >= Self2SelfPlusSiddSeconds;
}
