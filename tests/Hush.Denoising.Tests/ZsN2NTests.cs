using Hush.Denoising.Metrics;
using Hush.Denoising.Noise;
using Hush.Engine;
using Hush.Imaging;
using Hush.Testing;
using Xunit.Abstractions;

namespace Hush.Denoising.Tests;

public class ZsN2NTests(ITestOutputHelper log)
{
    private static Image Crop64(string set, string file) =>
        ImageFile.Read(SharedData.PathOf("data", set, file)).Crop(96, 96, 64, 64);

    /// <summary>A 64×64 crop with σ=25 noise, 300 iterations (a tenth of the default), 2 threads: the gain is pinned.</summary>
    [Theory]
    [InlineData("Kodak24", "kodim03.png", 1UL, 9.068, 9.069, 9.109)] // colour
    [InlineData("Set12", "08.png", 2UL, 9.996, 10.073, 10.072)]        // grey
    public void ThreeHundredIterationsGiveThePinnedGain(string set, string file, ulong noiseSeed, double avx512, double avx2, double scalar)
    {
        var clean = Crop64(set, file);
        var noisy = NoiseSynthesis.AddGaussian(clean, 25, noiseSeed);
        var result = new Denoiser(new DenoiseOptions { Iterations = 300, Seed = 5, Threads = 2 }).Denoise(noisy);
        double before = Psnr.Compute(noisy, clean), after = Psnr.Compute(result.Output, clean);
        log.WriteLine($"{set}/{file}: noisy {before:0.00} dB, denoised {after:0.00} dB, gain {after - before:0.00} dB");
        PinnedGain.Check(log, $"zs-n2n {set}/{file}", after - before, avx512, avx2, scalar);
        Assert.All(result.Output.Data, v => Assert.InRange(v, 0f, 1f));
    }

    [Fact]
    public void TheSameSeedAndThreadCountGiveABitIdenticalOutput()
    {
        var noisy = NoiseSynthesis.AddGaussian(Crop64("Kodak24", "kodim05.png").Crop(0, 0, 40, 33), 25, seed: 3);
        var options = new DenoiseOptions { Iterations = 40, Seed = 42, Threads = 2 };
        var a = new Denoiser(options).Denoise(noisy);
        var b = new Denoiser(options).Denoise(noisy);
        Assert.Equal(a.Output.Data, b.Output.Data);
        var c = new Denoiser(options with { Seed = 43 }).Denoise(noisy);
        Assert.NotEqual(a.Output.Data, c.Output.Data);
        Assert.Equal(42UL, a.Seed);
        Assert.Equal(2, a.Threads);
    }

    [Fact]
    public void OddSizesGreyAndAlphaComeBackWithTheInputsShape()
    {
        var alpha = Enumerable.Range(0, 31 * 17).Select(i => (i % 7) / 6f).ToArray();
        var noisy = new Image(31, 17, 1, Enumerable.Range(0, 31 * 17).Select(i => (i % 13) / 12f).ToArray(),
            bitDepth: 16, alpha: alpha);
        var result = new Denoiser(new DenoiseOptions { Iterations = 5, Seed = 1 }).Denoise(noisy);
        Assert.Equal((31, 17, 1, 16), (result.Output.Width, result.Output.Height, result.Output.Channels, result.Output.BitDepth));
        Assert.Equal(alpha, result.Output.Alpha);
    }

    [Fact]
    public void NetworkHasThePublishedParameterCount()
    {
        Assert.Equal(22_275, new ZsN2NNetwork(3, new Rng(0)).ParameterCount);
        Assert.Equal(21_313, new ZsN2NNetwork(1, new Rng(0)).ParameterCount);
    }

    [Fact]
    public void PairDownsamplerAveragesTheTwoDiagonalsAndDropsOddEdges()
    {
        // 1 channel, 3×5: the last row and column are ignored. Batch item 0 = D1 (anti-diagonal), 1 = D2 (main).
        float[] x = [1, 2, 3, 4, 9,
                     5, 6, 7, 8, 9,
                     9, 9, 9, 9, 9];
        var pairs = Ops.DiagonalPairs(Tensor.FromArray(x, 1, 1, 3, 5));
        Assert.Equal(new[] { 2, 1, 1, 2 }, pairs.Shape);
        Assert.Equal(new[] { (2 + 5) / 2f, (4 + 7) / 2f, (1 + 6) / 2f, (3 + 8) / 2f }, pairs.Data);
    }

    [Fact]
    public void LossEqualsItsDefinitionComputedTermByTerm()
    {
        var rng = new Rng(9);
        const int c = 3, h = 6, w = 8;
        var y = Tensor.FromArray(Enumerable.Range(0, c * h * w).Select(_ => rng.NextFloat()).ToArray(), 1, c, h, w);
        var net = new ZsN2NNetwork(3, new Rng(1));
        float loss = ZsN2NLoss.Compute(net, y).Item();

        // Recompute with each sub-image on its own and plain-array downsamplers:
        // residual = ½[mse(y1,p2)+mse(y2,p1)], consistency = ½[mse(p1,D1(ŷ))+mse(p2,D2(ŷ))].
        static float[] Down(float[] v, bool anti) =>
            Enumerable.Range(0, c * (h / 2) * (w / 2)).Select(k =>
            {
                int ch = k / ((h / 2) * (w / 2)), i = k / (w / 2) % (h / 2), j = k % (w / 2);
                float At(int r, int col) => v[(ch * h + r) * w + col];
                return anti ? 0.5f * (At(2 * i, 2 * j + 1) + At(2 * i + 1, 2 * j)) : 0.5f * (At(2 * i, 2 * j) + At(2 * i + 1, 2 * j + 1));
            }).ToArray();
        float[] y1 = Down(y.Data, true), y2 = Down(y.Data, false);
        float[] p1 = net.Denoise(Tensor.FromArray(y1, 1, c, h / 2, w / 2)).Data;
        float[] p2 = net.Denoise(Tensor.FromArray(y2, 1, c, h / 2, w / 2)).Data;
        float[] full = net.Denoise(y).Data;
        float[] d1 = Down(full, true), d2 = Down(full, false);
        static double Mse(float[] a, float[] b) => a.Select((v, i) => (double)(v - b[i]) * (v - b[i])).Average();
        double expected = 0.5 * (Mse(y1, p2) + Mse(y2, p1)) + 0.5 * (Mse(p1, d1) + Mse(p2, d2));
        Assert.Equal(expected, loss, 1e-5);
    }

    [Fact]
    public void NonFiniteInputIsRejected()
    {
        var noisy = new Image(8, 8, 1);
        noisy.Data[5] = float.NaN;
        Assert.Throws<ArgumentException>(() => new Denoiser(new DenoiseOptions { Iterations = 1 }).Denoise(noisy));
    }

    [Fact]
    public void BadOptionsAreRejectedWhenTheDenoiserIsMade()
    {
        Assert.Throws<ArgumentException>(() => new Denoiser(new DenoiseOptions { Iterations = 0 }));
        Assert.Throws<ArgumentException>(() => new Denoiser(new DenoiseOptions { Method = "nope" }));
        Assert.Throws<ArgumentException>(() => new Denoiser(new DenoiseOptions { LearningRate = float.NaN }));
    }
}
