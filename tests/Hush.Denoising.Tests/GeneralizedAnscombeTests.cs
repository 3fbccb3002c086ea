using Hush.Denoising.Noise;
using Hush.Engine;

namespace Hush.Denoising.Tests;

/// <summary>The generalized Anscombe transform stabilises Poisson–Gaussian variance to about 1, and its exact unbiased
/// inverse maps the expected transform back to the intensity, checked by Monte Carlo.</summary>
public class GeneralizedAnscombeTests
{
    [Theory]
    [InlineData(1.0, 0.0, 0.4)]
    [InlineData(1.0, 0.0, 3)]
    [InlineData(1.0, 0.0, 25)]
    [InlineData(0.02, 0.0004, 0.05)]
    [InlineData(0.02, 0.0004, 0.6)]
    public void TheInverseOfTheMeanTransformIsTheIntensity(double a, double b, double x)
    {
        var gat = new GeneralizedAnscombe(a, b);
        var (mean, variance) = TransformMoments(gat, a, b, x, samples: 400_000, seed: 7);
        // The algebraic inverse is biased at low counts; the exact one is not (up to Monte Carlo error, ~0.3 %).
        Assert.Equal(x, gat.Inverse(mean), x * 0.01 + 1e-4 * a);
        if (x / a >= 3) Assert.InRange(variance, 0.9, 1.1); // stabilised once there are a few counts
    }

    [Fact]
    public void TheInverseIsMonotoneAndZeroBelowTheTransformOfZero()
    {
        var gat = new GeneralizedAnscombe(0.05, 0.001);
        Assert.Equal(0, gat.Inverse(0));
        double last = -1;
        for (double d = 0; d < 60; d += 0.01)
        {
            double x = gat.Inverse(d);
            Assert.True(x >= last, $"inverse not monotone at D = {d}");
            last = x;
        }
        // Far above the table, the closed form: x ≈ a·(D²/4 − 1/8 − b/a²) to within its small correction terms.
        Assert.Equal(0.05 * (1e4 / 4 - 0.125 - 0.4), gat.Inverse(100), 0.01);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(-1, 0)]
    [InlineData(1, -0.1)]
    [InlineData(double.NaN, 0)]
    public void InvalidParametersAreRefused(double a, double b) =>
        Assert.Throws<ArgumentException>(() => new GeneralizedAnscombe(a, b));

    private static (double Mean, double Variance) TransformMoments(GeneralizedAnscombe gat, double a, double b, double x, int samples, ulong seed)
    {
        var rng = new Rng(seed);
        double sum = 0, sum2 = 0;
        for (int i = 0; i < samples; i++)
        {
            double y = a * PoissonSampler.Sample(rng, x / a) + Math.Sqrt(b) * rng.NextGaussian();
            double f = gat.Forward(y);
            sum += f;
            sum2 += f * f;
        }
        double mean = sum / samples;
        return (mean, sum2 / samples - mean * mean);
    }
}
