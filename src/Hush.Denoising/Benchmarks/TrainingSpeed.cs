using Hush.Denoising.Noise;
using Hush.Denoising.Training;
using Hush.Engine;
using Hush.Engine.Optim;
using Hush.Imaging;

namespace Hush.Denoising.Benchmarks;

/// <summary>One timed configuration: milliseconds of every measured training iteration.</summary>
public sealed record SpeedSample(string Method, int Width, int Height, int Channels, int Threads, double[] MillisecondsPerIteration)
{
    public double Median
    {
        get
        {
            var sorted = MillisecondsPerIteration.Order().ToArray();
            int n = sorted.Length;
            return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
        }
    }
}

/// <summary>Times whole training iterations (forward, backward, Adam) of a method on a synthetic noisy
/// image, through the same <see cref="Denoiser"/> path users run. Content does not change the cost.</summary>
public static class TrainingSpeed
{
    /// <summary>Networks timed without a method around them: "s2s-unet" (see SelfToSelfUNet).</summary>
    public static IReadOnlyList<string> Yardsticks { get; } = ["s2s-unet"];

    public static SpeedSample Measure(string method, int width, int height, int channels, int threads,
        int warmup = 5, int iterations = 20)
    {
        if (method == "s2s-unet") return MeasureUNet(width, height, channels, threads, warmup, iterations);
        var rng = new Rng(1);
        var clean = new Image(width, height, channels,
            Enumerable.Range(0, width * height * channels).Select(_ => rng.NextFloat()).ToArray());
        var noisy = NoiseSynthesis.AddGaussian(clean, 25, seed: 2);
        var stamps = new TimeSpan[warmup + iterations + 1];
        var recorder = new Recorder(stamps);
        new Denoiser(new DenoiseOptions { Method = method, Iterations = warmup + iterations, Seed = 0, Threads = threads })
            .Denoise(noisy, recorder);
        var ms = new double[iterations];
        for (int i = 0; i < iterations; i++)
            ms[i] = (stamps[warmup + i + 1] - stamps[warmup + i]).TotalMilliseconds;
        return new SpeedSample(method, width, height, channels, threads, ms);
    }

    private static SpeedSample MeasureUNet(int width, int height, int channels, int threads, int warmup, int iterations)
    {
        if (width % 32 != 0 || height % 32 != 0)
            throw new ArgumentException($"s2s-unet needs sides divisible by 32, got {width}x{height}");
        int saved = Threading.MaxThreads;
        Threading.MaxThreads = threads < 1 ? Environment.ProcessorCount : threads;
        try
        {
            var rng = new Rng(1);
            var y = Tensor.FromArray(Enumerable.Range(0, width * height * channels).Select(_ => rng.NextFloat()).ToArray(), 1, channels, height, width);
            var net = new SelfToSelfUNet(channels, new Rng(2));
            var adam = new Adam(net.Parameters(), 1e-4f);
            var arena = new TensorArena();
            for (int i = 0; i < warmup; i++) net.Step(y, adam, arena);
            var ms = new double[iterations];
            for (int i = 0; i < iterations; i++)
            {
                long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
                net.Step(y, adam, arena);
                ms[i] = System.Diagnostics.Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            }

            return new SpeedSample("s2s-unet", width, height, channels, threads, ms);
        }
        finally
        {
            Threading.MaxThreads = saved;
        }
    }

    private sealed class Recorder(TimeSpan[] stamps) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress p) => stamps[p.Iteration] = p.Elapsed;
    }
}
