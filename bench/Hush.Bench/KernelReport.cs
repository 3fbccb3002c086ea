using System.Diagnostics;
using System.Runtime.Intrinsics;
using Hush.Engine;
using Hush.Engine.Kernels;

namespace Hush.Bench;

/// <summary>Quick table: GFLOP/s of the 48→48 3×3 conv kernels (direct-convolution FLOPs) at 1 and 2
/// threads, next to the measured FMA peak. Medians of 15 calls after 3 warm-ups.</summary>
internal static class KernelReport
{
    public static void Run(int size)
    {
        var g = ConvGeometry.Create([1, 48, size, size], [48, 48, 3, 3], [48], 1, 1, 1, 1);
        var rng = new Rng(1);
        float[] x = Random(rng, 48 * size * size), w = Random(rng, 48 * 48 * 9), b = Random(rng, 48);
        float[] y = new float[g.OutputLength], dy = Random(rng, g.OutputLength), dx = new float[x.Length], dw = new float[w.Length];
        double flop = 2.0 * 48 * 48 * 9 * size * size;
        Console.WriteLine($"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, SIMD {Simd.Best}, " +
            $"Vector512 {Vector512.IsHardwareAccelerated}; conv 48→48 3×3 at {size}×{size} = {flop / 1e9:F2} GFLOP per call");
        Console.WriteLine("| threads | FMA peak GFLOP/s | forward | backward-data | backward-weight |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (int threads in new[] { 1, 2 })
        {
            Threading.MaxThreads = threads;
            double peak = PeakProbe.GflopsPerSecond(threads);
            double fwd = Rate(flop, () => Conv2dFast.Forward(g, y, x, w, b));
            double bwdData = Rate(flop, () => Conv2dFast.BackwardData(g, dx, dy, w));
            double bwdWeight = Rate(flop, () => Conv2dFast.BackwardWeight(g, dw, dy, x));
            Console.WriteLine($"| {threads} | {peak:F0} | {Cell(fwd, peak)} | {Cell(bwdData, peak)} | {Cell(bwdWeight, peak)} |");
        }
    }

    private static string Cell(double rate, double peak) => $"{rate:F0} ({100 * rate / peak:F0} %)";

    private static double Rate(double flop, Action run)
    {
        for (int i = 0; i < 3; i++) run();
        var times = new List<double>();
        for (int i = 0; i < 15; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            run();
            times.Add(Stopwatch.GetElapsedTime(t0).TotalSeconds);
        }
        times.Sort();
        return flop / times[times.Count / 2] / 1e9;
    }

    internal static float[] Random(Rng rng, int n)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = rng.Uniform(-1f, 1f);
        return a;
    }
}
