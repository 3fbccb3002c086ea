using Hush.Denoising.Noise;
using Hush.Imaging;

namespace Hush.Denoising.Tests;

/// <summary>Each denoise runs in an engine context of its own: two calls with different thread counts running at
/// the same time give, bit for bit, what each gives alone.</summary>
public class ConcurrentDenoiseTests
{
    // A smooth 32×32 RGB ramp with σ = 25 Gaussian noise.
    private static Image Noisy()
    {
        const int side = 32;
        var data = new float[side * side * 3];
        for (int c = 0; c < 3; c++)
        for (int y = 0; y < side; y++)
        for (int x = 0; x < side; x++)
            data[(c * side + y) * side + x] = 0.2f + 0.6f * (x + y + 7 * c) / (2f * side + 14);
        return NoiseSynthesis.AddGaussian(new Image(side, side, 3, data), 25, seed: 6);
    }

    /// <summary>Every registered method, in its contract probe run (a handful of steps).</summary>
    public static IEnumerable<object[]> Methods => Contract.ContractRuns.Methods;

    private static DenoiseOptions Options(string method, int threads) => Contract.ContractRuns.Probe(method) with { Seed = 11, Threads = threads };

    [Theory]
    [MemberData(nameof(Methods))]
    public void TwoDenoisesAtOnceGiveWhatEachGivesAlone(string method)
    {
        var noisy = Noisy();
        float[] Denoise(int threads) => new Denoiser(Options(method, threads)).Denoise(noisy).Output.Data;
        float[] aloneOne = Denoise(1), aloneTwo = Denoise(2);

        for (int round = 0; round < 2; round++)
        {
            using var start = new Barrier(2); // both calls begin together, so their training steps overlap
            float[] Together(int threads)
            {
                start.SignalAndWait(TimeSpan.FromMinutes(1));
                return Denoise(threads);
            }

            float[]? one = null, two = null;
            Exception? failure = null;
            // Threads of their own rather than tasks: nothing else queues behind them on the thread pool.
            var threads = new[] { new Thread(() => Catch(() => one = Together(1))), new Thread(() => Catch(() => two = Together(2))) };
            foreach (var t in threads) t.Start();
            foreach (var t in threads) t.Join();
            if (failure is not null) throw new AggregateException(failure);
            Assert.Equal(aloneOne, one);
            Assert.Equal(aloneTwo, two);

            void Catch(Action run)
            {
                try { run(); }
                catch (Exception e) { Interlocked.CompareExchange(ref failure, e, null); }
            }
        }
    }
}
