using System.Diagnostics;
using Hush.Engine;
using Hush.Engine.Kernels;
using Xunit.Abstractions;

namespace Hush.Engine.Tests;

/// <summary>
/// Throughput of the 48->48 3x3 stride-1 conv (the ZS-N2N hot spot). Not a timed assertion: prints GFLOP/s.
/// Runs only with HUSH_BENCH=1 (use -c Release), e.g.
/// HUSH_BENCH=1 dotnet test tests/Hush.Engine.Tests -c Release --filter ConvBenchmark --logger "console;verbosity=detailed"
/// </summary>
public class ConvBenchmark(ITestOutputHelper output)
{
    [Fact]
    public void Conv48x48At256()
    {
        if (Environment.GetEnvironmentVariable("HUSH_BENCH") != "1") return;
        int size = int.TryParse(Environment.GetEnvironmentVariable("HUSH_BENCH_SIZE"), out int s) ? s : 256;
        var g = ConvGeometry.Create([1, 48, size, size], [48, 48, 3, 3], [48], 1, 1, 1, 1);
        var rng = new Rng(1);
        float[] x = TestUtil.Random(rng, 48 * size * size), w = TestUtil.Random(rng, 48 * 48 * 9), b = TestUtil.Random(rng, 48);
        float[] y = new float[g.OutputLength], dy = TestUtil.Random(rng, g.OutputLength), dx = new float[x.Length], dw = new float[w.Length];
        double flop = 2.0 * 48 * 48 * 9 * size * size;
        int saved = Threading.MaxThreads;
        output.WriteLine($"SIMD {Simd.Best}, {size}x{size}, {flop / 1e9:F2} GFLOP per call");
        foreach (int threads in new[] { 1, 2 })
        {
            Threading.MaxThreads = threads;
            output.WriteLine($"threads {threads}: forward {Rate(() => Conv2dFast.Forward(g, y, x, w, b)):F1}, " +
                $"backward-data {Rate(() => Conv2dFast.BackwardData(g, dx, dy, w)):F1}, " +
                $"backward-weight {Rate(() => Conv2dFast.BackwardWeight(g, dw, dy, x)):F1} GFLOP/s (median)");
        }

        Threading.MaxThreads = saved;

        double Rate(Action run)
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
    }

    [Fact]
    public void ZsN2NTrainStepAt256()
    {
        if (Environment.GetEnvironmentVariable("HUSH_BENCH") != "1") return;
        var rng = new Rng(1);
        var c1 = new Hush.Engine.Layers.Conv2d(3, 48, 3, rng, padding: 1);
        var c2 = new Hush.Engine.Layers.Conv2d(48, 48, 3, rng, padding: 1);
        var c3 = new Hush.Engine.Layers.Conv2d(48, 3, 1, rng);
        var opt = new Hush.Engine.Optim.Adam([.. c1.Parameters(), .. c2.Parameters(), .. c3.Parameters()]);
        Tensor img = Tensor.FromArray(TestUtil.Random(rng, 3 * 256 * 256, 0f, 1f), 1, 3, 256, 256);
        var times = new List<double>();
        TimeSpan pause0 = TimeSpan.Zero;
        for (int i = 0; i < 13; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            opt.ZeroGrad();
            Tensor loss = Ops.MseLoss(c3.Forward(Ops.LeakyRelu(c2.Forward(Ops.LeakyRelu(c1.Forward(img), 0.2f)), 0.2f)), img);
            loss.Backward();
            opt.Step();
            if (i >= 3) times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            if (i == 2) pause0 = GC.GetTotalPauseDuration();
        }

        times.Sort();
        output.WriteLine($"ZS-N2N-shaped step (3->48->48->3, one image 256x256, fwd+bwd+Adam), {Threading.MaxThreads} threads: median {times[times.Count / 2]:F1} ms, min {times[0]:F1} ms, " +
            $"GC pauses {(GC.GetTotalPauseDuration() - pause0).TotalMilliseconds / 10:F1} ms/step");
    }
}
