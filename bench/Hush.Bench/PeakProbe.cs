using System.Diagnostics;
using System.Runtime.Intrinsics;

namespace Hush.Bench;

/// <summary>The machine's fp32 peak as this runtime reaches it: 12 independent FMA chains of the widest
/// vector per thread, in registers, no memory traffic. Kernel efficiencies are quoted against this.</summary>
internal static class PeakProbe
{
    public static double GflopsPerSecond(int threads, long iterations = 200_000_000 / 16)
    {
        double best = 0;
        for (int trial = 0; trial < 3; trial++)
        {
            var sw = Stopwatch.StartNew();
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ => Chains(iterations));
            double seconds = sw.Elapsed.TotalSeconds;
            double flop = 2.0 * 12 * Vector512<float>.Count * iterations * threads;
            best = Math.Max(best, flop / seconds / 1e9);
        }
        return best;
    }

    private static float Chains(long iterations)
    {
        // 12 accumulators cover the FMA latency (4 cycles) × 2 pipes with room to spare.
        var m = Vector512.Create(0.999f);
        var a = Vector512.Create(0.001f);
        Vector512<float> c0 = Vector512.Create(1f), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0,
            c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (long i = 0; i < iterations; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(c0, m, a); c1 = Vector512.FusedMultiplyAdd(c1, m, a);
            c2 = Vector512.FusedMultiplyAdd(c2, m, a); c3 = Vector512.FusedMultiplyAdd(c3, m, a);
            c4 = Vector512.FusedMultiplyAdd(c4, m, a); c5 = Vector512.FusedMultiplyAdd(c5, m, a);
            c6 = Vector512.FusedMultiplyAdd(c6, m, a); c7 = Vector512.FusedMultiplyAdd(c7, m, a);
            c8 = Vector512.FusedMultiplyAdd(c8, m, a); c9 = Vector512.FusedMultiplyAdd(c9, m, a);
            c10 = Vector512.FusedMultiplyAdd(c10, m, a); c11 = Vector512.FusedMultiplyAdd(c11, m, a);
        }
        return Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }
}
