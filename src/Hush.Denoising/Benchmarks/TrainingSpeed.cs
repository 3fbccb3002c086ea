using Hush.Denoising.Methods;
using Hush.Denoising.Noise;
using Hush.Denoising.Training;
using Hush.Engine;
using Hush.Engine.Diagnostics;
using Hush.Engine.Optim;
using Hush.Imaging;

namespace Hush.Denoising.Benchmarks;

/// <summary>One timed configuration: milliseconds of every measured training iteration and, for methods that average
/// stochastic passes (the Self2Self family), of every prediction pass (empty otherwise).</summary>
public sealed record SpeedSample(string Method, int Width, int Height, int Channels, int Threads, double[] MillisecondsPerIteration,
    double[] MillisecondsPerPass)
{
    /// <summary>Median managed bytes allocated per timed training iteration (all threads), or NaN if not measured.</summary>
    public double AllocatedBytesPerIteration { get; init; } = double.NaN;

    /// <summary>A measurement of <paramref name="method"/> at one size, channel count and thread count: milliseconds per timed iteration.</summary>
    public SpeedSample(string method, int width, int height, int channels, int threads, double[] msPerIteration)
        : this(method, width, height, channels, threads, msPerIteration, []) { }

    /// <summary>The median milliseconds per iteration.</summary>
    public double Median => MedianOf(MillisecondsPerIteration);

    /// <summary>Milliseconds and calls per op over the timed iterations and the timed passes, slowest first (empty
    /// unless profiled; see <see cref="OpProfile"/>).</summary>
    public IReadOnlyList<OpTime> IterationProfile { get; init; } = [];

    /// <inheritdoc cref="IterationProfile"/>
    public IReadOnlyList<OpTime> PassProfile { get; init; } = [];

    /// <summary>Median ms per ensemble pass, NaN when the method has none.</summary>
    public double PassMedian => MedianOf(MillisecondsPerPass);

    /// <summary>The median (mean of the middle two for an even count), NaN for no values.</summary>
    internal static double MedianOf(double[] values)
    {
        if (values.Length == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }
}

/// <summary>Times whole training iterations (forward, backward, Adam) of a method on a synthetic noisy
/// image, through the same <see cref="Denoiser"/> path users run. Content does not change the cost of training; a
/// classical method's does (block matching), so it is timed on structured content.</summary>
public static class TrainingSpeed
{
    /// <summary>Networks timed without a method around them: "s2s-unet" (see SelfToSelfUNet).</summary>
    public static IReadOnlyList<string> Yardsticks { get; } = ["s2s-unet"];

    /// <summary>Times training steps of <paramref name="method"/> on a random image of the given size (see the class summary).</summary>
    public static SpeedSample Measure(string method, int width, int height, int channels, int threads,
        int warmup = 5, int iterations = 20, bool profile = false)
    {
        if (method == "s2s-unet") return MeasureUNet(width, height, channels, threads, warmup, iterations);
        if (MethodRegistry.Find(method).Can(MethodCapabilities.Classical))
            return MeasureClassical(method, NoiseSynthesis.AddGaussian(Structured(width, height, channels), 25, seed: 2), threads, warmup, iterations);
        var rng = new Rng(1);
        var clean = new Image(width, height, channels,
            Enumerable.Range(0, width * height * channels).Select(_ => rng.NextFloat()).ToArray());
        var noisy = NoiseSynthesis.AddGaussian(clean, 25, seed: 2);
        var recorder = new Recorder(warmup + iterations, PassesTimed + 1) { Profile = profile, Warmup = warmup };
        // Methods that average stochastic passes run a few (the first is a warm-up) instead of their hundreds.
        var options = new DenoiseOptions { Method = method, Iterations = warmup + iterations, Seed = 0, Threads = threads };
        if (MethodRegistry.ParametersOf(options).Any(p => p.Name == "passes"))
            options = MethodRegistry.WithSettings(options, new Dictionary<string, string> { ["passes"] = $"{PassesTimed + 1}" });
        new Denoiser(options).Denoise(noisy, recorder);
        var ms = new double[iterations];
        for (int i = 0; i < iterations; i++)
            ms[i] = (recorder.Training[warmup + i + 1] - recorder.Training[warmup + i]).TotalMilliseconds;
        var passMs = recorder.Passes[PassesTimed] == TimeSpan.Zero
            ? []
            : Enumerable.Range(1, PassesTimed).Select(k => (recorder.Passes[k] - recorder.Passes[k - 1]).TotalMilliseconds).ToArray();
        var bytes = Enumerable.Range(0, iterations)
            .Select(i => (double)(recorder.Allocated[warmup + i + 1] - recorder.Allocated[warmup + i])).ToArray();
        return new SpeedSample(method, width, height, channels, threads, ms, passMs)
        {
            AllocatedBytesPerIteration = SpeedSample.MedianOf(bytes),
            IterationProfile = recorder.IterationProfile,
            PassProfile = recorder.PassProfile,
        };
    }

    /// <summary>Smooth waves over a chequerboard of 16-pixel squares: content on which block matching finds full groups,
    /// as on natural images (on random pixels it finds almost none, and a classical method would time far too fast).</summary>
    private static Image Structured(int width, int height, int channels)
    {
        var data = new float[width * height * channels];
        for (int c = 0; c < channels; c++)
        for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++)
        {
            double wave = 0.25 * Math.Sin(2 * Math.PI * x / (37 + 5 * c)) * Math.Sin(2 * Math.PI * y / 53);
            double square = ((x / 16 + y / 16) & 1) == 0 ? 0.2 : 0;
            data[(c * height + y) * width + x] = (float)(0.4 + wave + square);
        }
        return new Image(width, height, channels, data);
    }

    /// <summary>A method that trains nothing: milliseconds per whole image (in <see cref="SpeedSample.MillisecondsPerIteration"/>)
    /// of <see cref="Structured"/> content with σ = 25 noise, σ given (the synthetic noise's 25) where the method takes one, so the estimate is not timed.</summary>
    private static SpeedSample MeasureClassical(string method, Image noisy, int threads, int warmup, int runs)
    {
        var options = new DenoiseOptions { Method = method, Seed = 0, Threads = threads };
        if (MethodRegistry.ParametersOf(options).Any(p => p.Name == "sigma"))
            options = MethodRegistry.WithSettings(options, new Dictionary<string, string> { ["sigma"] = "25" });
        var denoiser = new Denoiser(options);
        for (int i = 0; i < warmup; i++) denoiser.Denoise(noisy);
        var ms = new double[runs];
        for (int i = 0; i < runs; i++)
        {
            long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
            denoiser.Denoise(noisy);
            ms[i] = System.Diagnostics.Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        }
        return new SpeedSample(method, noisy.Width, noisy.Height, noisy.Channels, threads, ms);
    }

    private static SpeedSample MeasureUNet(int width, int height, int channels, int threads, int warmup, int iterations)
    {
        if (width % 32 != 0 || height % 32 != 0)
            throw new ArgumentException($"s2s-unet needs sides divisible by 32, got {width}x{height}");
        using var context = EngineContext.Borrow(threads < 1 ? Environment.ProcessorCount : threads);
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

    /// <summary>Ensemble passes timed per configuration (after one untimed pass).</summary>
    private const int PassesTimed = 5;

    /// <summary>Elapsed time at each training iteration (index = iteration, 0 = start) and at each ensemble pass
    /// (index = pass − 1; index 0 is the untimed first pass).</summary>
    private sealed class Recorder(int iterations, int passes) : IProgress<TrainingProgress>
    {
        public TimeSpan[] Training { get; } = new TimeSpan[iterations + 1];

        /// <summary>GC.GetTotalAllocatedBytes at each training iteration's report.</summary>
        public long[] Allocated { get; } = new long[iterations + 1];

        public TimeSpan[] Passes { get; } = new TimeSpan[passes];

        /// <summary>Profile the timed iterations and passes (<see cref="OpProfile"/>).</summary>
        public bool Profile { get; init; }

        public int Warmup { get; init; }

        public IReadOnlyList<OpTime> IterationProfile { get; private set; } = [];

        public IReadOnlyList<OpTime> PassProfile { get; private set; } = [];

        public void Report(TrainingProgress p)
        {
            if (p.Phase == TrainingPhase.Training)
            {
                if (Profile && p.Iteration == Training.Length - 1) IterationProfile = OpProfile.Stop();
                Training[p.Iteration] = p.Elapsed;
                Allocated[p.Iteration] = GC.GetTotalAllocatedBytes(precise: true);
                if (Profile && p.Iteration == Warmup) OpProfile.Start();
            }
            else if (p.Phase == TrainingPhase.Ensemble && p.Iteration <= Passes.Length)
            {
                if (Profile && p.Iteration == Passes.Length) PassProfile = OpProfile.Stop();
                Passes[p.Iteration - 1] = p.Elapsed;
                if (Profile && p.Iteration == 1) OpProfile.Start();
            }
        }
    }
}
