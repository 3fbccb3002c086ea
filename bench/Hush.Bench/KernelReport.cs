using System.Diagnostics;
using System.Runtime.Intrinsics;
using Hush.Engine;
using Hush.Engine.Kernels;
using Hush.Engine.Kernels.Winograd;

namespace Hush.Bench;

/// <summary>Quick table: GFLOP/s of the Cin→Cout 3×3 conv kernels (default 48→48; the U-Nets' decoder runs 144→96 and
/// 96→96), direct and Winograd (direct-convolution FLOPs), at 1 and 2 threads, next to the measured FMA peak. Medians
/// of 15 calls after 3 warm-ups.</summary>
internal static class KernelReport
{
    public static void Run(int size, int cin = 48, int cout = 48)
    {
        var g = ConvGeometry.Create([1, cin, size, size], [cout, cin, 3, 3], [cout], 1, 1, 1, 1);
        var rng = new Rng(1);
        float[] x = Random(rng, cin * size * size), w = Random(rng, cout * cin * 9), b = Random(rng, cout);
        float[] y = new float[g.OutputLength], dy = Random(rng, g.OutputLength), dx = new float[x.Length], dw = new float[w.Length];
        double flop = 2.0 * cin * cout * 9 * size * size;
        Console.WriteLine($"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, SIMD {Simd.Best}, " +
            $"Vector512 {Vector512.IsHardwareAccelerated}; conv {cin}→{cout} 3×3 at {size}×{size} = {flop / 1e9:F2} GFLOP per call");
        Console.WriteLine("GFLOP/s count direct-convolution FLOPs for both algorithms; Winograd does 1/4 of them as multiplications,");
        Console.WriteLine("so its figures can exceed the peak (its GEMMs run at figure / 4).");
        Console.WriteLine("| threads | FMA peak GFLOP/s | algorithm | forward | backward-data | backward-weight |");
        Console.WriteLine("|---|---|---|---|---|---|");
        SimdLevel level = Simd.Best;
        foreach (int threads in new[] { 1, 2 })
        {
            Threading.MaxThreads = threads;
            double peak = PeakProbe.GflopsPerSecond(threads);
            double fwd = Rate(flop, () => Conv2dFast.Forward(g, y, x, w, b));
            double bwdData = Rate(flop, () => Conv2dFast.BackwardData(g, dx, dy, w));
            double bwdWeight = Rate(flop, () => Conv2dFast.BackwardWeight(g, dw, dy, x));
            Row(threads, peak, "direct", fwd, bwdData, bwdWeight);
            if (!WinogradConv.Can(g, level)) continue;
            fwd = Rate(flop, () => WinogradConv.Forward(g, y, x, w, b, level));
            bwdData = Rate(flop, () => WinogradConv.Backward(g, dx, null, null, dy, x, w, level));
            bwdWeight = Rate(flop, () => WinogradConv.Backward(g, null, dw, null, dy, x, w, level));
            Row(threads, peak, "Winograd F(4×4,3×3)", fwd, bwdData, bwdWeight);
        }
    }

    /// <summary>The same table for a 1×1 convolution: the direct kernel (Conv2dFast) against the packed GEMM path
    /// (PointwiseConv) at every SIMD level this machine has.</summary>
    public static void Pointwise(int size, int cin, int cout)
    {
        var g = ConvGeometry.Create([1, cin, size, size], [cout, cin, 1, 1], [cout], 1, 0, 1, 1);
        var rng = new Rng(1);
        float[] x = Random(rng, cin * size * size), w = Random(rng, cout * cin), b = Random(rng, cout);
        float[] y = new float[g.OutputLength], dy = Random(rng, g.OutputLength), dx = new float[x.Length], dw = new float[w.Length];
        double flop = 2.0 * cin * cout * size * size;
        Console.WriteLine($"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, SIMD {Simd.Best}, " +
            $"Vector512 {Vector512.IsHardwareAccelerated}; conv {cin}→{cout} 1×1 at {size}×{size} = {flop / 1e9:F3} GFLOP per call");
        Console.WriteLine("| threads | FMA peak GFLOP/s | kernel | forward | backward-data | backward-weight |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (int threads in new[] { 1, 2 })
        {
            Threading.MaxThreads = threads;
            double peak = PeakProbe.GflopsPerSecond(threads);
            double fwd = Rate(flop, () => Conv2dFast.Forward(g, y, x, w, b));
            double bwdData = Rate(flop, () => Conv2dFast.BackwardData(g, dx, dy, w));
            double bwdWeight = Rate(flop, () => Conv2dFast.BackwardWeight(g, dw, dy, x));
            Row(threads, peak, "direct", fwd, bwdData, bwdWeight);
            foreach (SimdLevel level in Enum.GetValues<SimdLevel>().Where(l => l <= Simd.Best && l != SimdLevel.Scalar))
            {
                fwd = Rate(flop, () => PointwiseConv.Forward(g, y, x, w, b, level));
                bwdData = Rate(flop, () => PointwiseConv.BackwardData(g, dx, dy, w, level));
                bwdWeight = Rate(flop, () => PointwiseConv.BackwardWeight(g, dw, dy, x, level));
                Row(threads, peak, $"pointwise GEMM, {level}", fwd, bwdData, bwdWeight);
            }
        }
    }

    public static void WinogradLoop(int calls)
    {
        var g = ConvGeometry.Create([1, 48, 256, 256], [48, 48, 3, 3], [48], 1, 1, 1, 1);
        var rng = new Rng(1);
        float[] x = Random(rng, 48 * 256 * 256), w = Random(rng, 48 * 48 * 9), b = Random(rng, 48);
        float[] y = new float[g.OutputLength], dy = Random(rng, g.OutputLength), dx = new float[x.Length], dw = new float[w.Length];
        Threading.MaxThreads = 1;
        for (int i = 0; i < calls; i++)
        {
            WinogradConv.Forward(g, y, x, w, b, Simd.Best);
            WinogradConv.Backward(g, dx, dw, null, dy, x, w, Simd.Best);
        }
    }

    private static string Cell(double rate, double peak) => $"{rate:F0} ({100 * rate / peak:F0} %)";

    private static void Row(int threads, double peak, string kernel, double fwd, double bwdData, double bwdWeight) =>
        Console.WriteLine($"| {threads} | {peak:F0} | {kernel} | {Cell(fwd, peak)} | {Cell(bwdData, peak)} | {Cell(bwdWeight, peak)} |");

    private static double Rate(double flop, Action run) => flop / MedianSeconds(run) / 1e9;

    /// <summary>Median wall time of 15 calls after 3 warm-ups, in seconds.</summary>
    internal static double MedianSeconds(Action run)
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
        return times[times.Count / 2];
    }

    internal static float[] Random(Rng rng, int n)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = rng.Uniform(-1f, 1f);
        return a;
    }
}
