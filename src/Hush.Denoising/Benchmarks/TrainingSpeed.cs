using Hush.Denoising.Noise;
using Hush.Denoising.Training;
using Hush.Engine;
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
    public static SpeedSample Measure(string method, int width, int height, int channels, int threads,
        int warmup = 5, int iterations = 20)
    {
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

    private sealed class Recorder(TimeSpan[] stamps) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress p) => stamps[p.Iteration] = p.Elapsed;
    }
}
