using Hush.Denoising.Noise;
using Hush.Imaging;

namespace Hush.Denoising.Tests;

public class NoiseTests
{
    private static Image Flat(float value, int size = 128, int channels = 3) =>
        new(size, size, channels, Enumerable.Repeat(value, size * size * channels).ToArray());

    [Fact]
    public void GaussianNoiseHasTheRequestedSigmaAndZeroMean()
    {
        var clean = Flat(0.5f);
        var noisy = NoiseSynthesis.AddGaussian(clean, 25, seed: 7);
        var d = noisy.Data.Select((v, i) => (double)v - clean.Data[i]).ToArray();
        double mean = d.Average(), std = Math.Sqrt(d.Select(x => (x - mean) * (x - mean)).Average());
        Assert.InRange(mean, -0.002, 0.002);
        Assert.InRange(std * 255, 24.6, 25.4); // 49,152 samples: the standard error of σ is ~0.3 %
    }

    [Fact]
    public void GaussianNoiseIsClippedByDefaultAndNotWhenAskedNotTo()
    {
        var clean = Flat(0.02f);
        Assert.All(NoiseSynthesis.AddGaussian(clean, 50, 1).Data, v => Assert.InRange(v, 0f, 1f));
        Assert.Contains(NoiseSynthesis.AddGaussian(clean, 50, 1, clip: false).Data, v => v < 0);
    }

    [Fact]
    public void PoissonNoiseHasMeanXAndVarianceXOverLambda()
    {
        const double lambda = 30, x = 0.5;
        var noisy = NoiseSynthesis.AddPoisson(Flat((float)x), lambda, seed: 3, clip: false);
        double mean = noisy.Data.Average(v => (double)v);
        double variance = noisy.Data.Average(v => (v - mean) * (v - mean));
        Assert.InRange(mean, x - 0.003, x + 0.003);
        Assert.InRange(variance, 0.97 * x / lambda, 1.03 * x / lambda);
        // Counts are integers: every sample is k/λ.
        Assert.All(noisy.Data.Take(1000), v => Assert.Equal(Math.Round(v * lambda), v * lambda, 3));
    }

    [Fact]
    public void SmallMeanPoissonUsesTheExactSmallMeanPath()
    {
        const double lambda = 5, x = 0.4; // mean 2 counts
        var noisy = NoiseSynthesis.AddPoisson(Flat((float)x), lambda, seed: 4, clip: false);
        double mean = noisy.Data.Average(v => (double)v) * lambda;
        double zeros = noisy.Data.Count(v => v == 0) / (double)noisy.Data.Length;
        Assert.InRange(mean, 1.96, 2.04);
        Assert.InRange(zeros, Math.Exp(-2) - 0.01, Math.Exp(-2) + 0.01);
    }

    [Fact]
    public void TheSameSeedGivesTheSameNoiseAndAnotherSeedDoesNot()
    {
        var clean = Flat(0.5f, 32);
        Assert.Equal(NoiseSynthesis.AddGaussian(clean, 25, 11).Data, NoiseSynthesis.AddGaussian(clean, 25, 11).Data);
        Assert.NotEqual(NoiseSynthesis.AddGaussian(clean, 25, 11).Data, NoiseSynthesis.AddGaussian(clean, 25, 12).Data);
        Assert.Equal(NoiseSynthesis.AddPoisson(clean, 30, 11).Data, NoiseSynthesis.AddPoisson(clean, 30, 11).Data);
    }

    [Fact]
    public void AlphaIsCarriedThroughUntouched()
    {
        var alpha = Enumerable.Range(0, 16 * 16).Select(i => i / 256f).ToArray();
        var clean = new Image(16, 16, 3, alpha: alpha);
        var noisy = NoiseSynthesis.AddGaussian(clean, 25, 1);
        Assert.Equal(alpha, noisy.Alpha);
    }
}
