using Hush.Denoising.Noise;
using Hush.Imaging;

namespace Hush.Denoising.Tests;

/// <summary>The spatially varying and the mixed Poisson–Gaussian noise of the quality runs: each has the statistics
/// its formula says, measured where they are known.</summary>
public class NoiseMixtureTests
{
    private static Image Flat(float value, int size, int channels = 1) =>
        new(size, size, channels, Enumerable.Repeat(value, size * size * channels).ToArray());

    private static double Std(IEnumerable<double> d)
    {
        var a = d.ToArray();
        double mean = a.Average();
        return Math.Sqrt(a.Average(x => (x - mean) * (x - mean)));
    }

    [Fact]
    public void VaryingNoiseRisesAlongTheDiagonalFromTheFirstSigmaToTheSecond()
    {
        const int size = 256;
        var clean = Flat(0.5f, size);
        var noisy = NoiseSynthesis.AddVaryingGaussian(clean, 5, 50, seed: 3, clip: false);
        double Region(int r0, int c0) => 255 * Std(
            from r in Enumerable.Range(r0, 16) from c in Enumerable.Range(c0, 16) select (double)noisy.Data[r * size + c] - 0.5);
        // σ at a 16×16 block's centre (r, c) = 5 + 45·(r/255 + c/255)/2; 256 samples: the standard error is ~4.5 %.
        double Expected(int r0, int c0) => 5 + 45 * ((r0 + 7.5) / 255 + (c0 + 7.5) / 255) / 2;
        foreach (var (r, c) in new[] { (0, 0), (120, 120), (240, 240), (0, 240), (240, 0) })
            Assert.InRange(Region(r, c), 0.85 * Expected(r, c), 1.15 * Expected(r, c));
        Assert.Equal(noisy.Data, NoiseSynthesis.AddVaryingGaussian(clean, 5, 50, seed: 3, clip: false).Data);
        Assert.Equal(NoiseSynthesis.AddGaussian(clean, 20, seed: 3).Data, NoiseSynthesis.AddVaryingGaussian(clean, 20, 20, seed: 3).Data);
    }

    [Fact]
    public void MixedNoiseHasThePoissonVariancePlusTheGaussianOne()
    {
        const double lambda = 50, sigma255 = 10, x = 0.4;
        var noisy = NoiseSynthesis.AddPoissonGaussian(Flat((float)x, 256), lambda, sigma255, seed: 5, clip: false);
        double mean = noisy.Data.Average(v => (double)v);
        double variance = noisy.Data.Average(v => (v - mean) * (v - mean));
        double expected = x / lambda + (sigma255 / 255) * (sigma255 / 255); // a·x + b with a = 1/λ, b = σ²
        Assert.InRange(mean, x - 0.002, x + 0.002);
        Assert.InRange(variance, 0.97 * expected, 1.03 * expected); // 65,536 samples: ~0.6 % standard error
        Assert.Contains(noisy.Data, v => Math.Abs(Math.Round(v * lambda) - v * lambda) > 0.01); // not integer counts any more
    }

    [Fact]
    public void BadLevelsAreRefused()
    {
        var clean = Flat(0.5f, 8);
        Assert.Throws<ArgumentOutOfRangeException>(() => NoiseSynthesis.AddVaryingGaussian(clean, -1, 50, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => NoiseSynthesis.AddVaryingGaussian(clean, 5, double.NaN, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => NoiseSynthesis.AddPoissonGaussian(clean, 0, 10, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => NoiseSynthesis.AddPoissonGaussian(clean, 50, -2, 0));
    }
}
