using Hush.Denoising.Noise;
using Hush.Imaging;
using Hush.Testing;
using Xunit.Abstractions;

namespace Hush.Denoising.Tests;

/// <summary>The noise's spatial correlation and the noise kind: synthetic noise of known autocorrelation, and the real
/// camera and microscopy pairs (figures in bench/RESULTS.md, "Noise-level estimation").</summary>
public class NoiseCorrelationTests(ITestOutputHelper output)
{
    private const int Side = 256;

    /// <summary>Unit white Gaussian noise (Box–Muller) on a Side × Side plane, plus a shading ramp the plane fits remove.</summary>
    private static double[] White(ulong seed, int width = Side + 2, int height = Side + 2)
    {
        var rng = new Engine.Rng(seed);
        var z = new double[width * height];
        for (int i = 0; i < z.Length; i++)
            z[i] = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        return z;
    }

    /// <summary>0.5 + shading + s·(noise filtered by a kernel), the kernel given as (dx, dy, weight).</summary>
    private static float[] Filtered(ulong seed, double scale, params (int Dx, int Dy, double W)[] kernel)
    {
        var z = White(seed);
        var plane = new float[Side * Side];
        for (int y = 0; y < Side; y++)
            for (int x = 0; x < Side; x++)
            {
                double n = 0;
                foreach (var (dx, dy, w) in kernel) n += w * z[(y + dy) * (Side + 2) + x + dx];
                plane[y * Side + x] = (float)(0.3 + 0.4 * x / Side + 0.1 * y / Side + scale * n);
            }
        return plane;
    }

    [Fact]
    public void WhiteNoiseMeasuresNearZeroAtEveryLag()
    {
        var (h, v) = NoiseCorrelation.Measure(Filtered(1, 0.05, (0, 0, 1)), Side, Side);
        output.WriteLine($"h {string.Join(" ", h)} v {string.Join(" ", v)}");
        // 5 % of 441 blocks of 144 pixels: about 3000 products per lag, so a standard error of about 0.02.
        Assert.All(h.Concat(v), r => Assert.InRange(r, -0.06, 0.06));
    }

    [Fact]
    public void TwoTapNoiseMeasuresOneHalfAtLagOneAndNothingBeyond()
    {
        // n = (z[x] + z[x+1]) / √2 along rows: ρ(1) = 0.5, ρ(2) = ρ(3) = 0, and no vertical correlation. Blocks ranked
        // by their own variance read 0.44 here.
        double w = 1 / Math.Sqrt(2);
        var (h, v) = NoiseCorrelation.Measure(Filtered(2, 0.05, (0, 0, w), (1, 0, w)), Side, Side);
        output.WriteLine($"h {string.Join(" ", h)} v {string.Join(" ", v)}");
        Assert.InRange(h[0], 0.45, 0.55);
        Assert.All(h.Skip(1).Concat(v), r => Assert.InRange(r, -0.06, 0.06));
    }

    [Fact]
    public void ThreeByThreeBoxNoiseMeasuresItsTriangle()
    {
        // A 3×3 box filter: ρ(d) = (3 − d)/3 along either axis, so 2/3, 1/3, 0.
        var kernel = (from dy in Enumerable.Range(0, 3) from dx in Enumerable.Range(0, 3) select (dx, dy, 1 / 3.0)).ToArray();
        var (h, v) = NoiseCorrelation.Measure(Filtered(3, 0.05, kernel), Side, Side);
        output.WriteLine($"h {string.Join(" ", h)} v {string.Join(" ", v)}");
        foreach (var axis in new[] { h, v })
        {
            Assert.InRange(axis[0], 2 / 3.0 - 0.07, 2 / 3.0 + 0.07);
            Assert.InRange(axis[1], 1 / 3.0 - 0.07, 1 / 3.0 + 0.07);
            Assert.InRange(axis[2], -0.07, 0.07);
        }
    }

    [Fact]
    public void AFlatPlaneHasNoCorrelationToReport()
    {
        var (h, v) = NoiseCorrelation.Measure(Enumerable.Repeat(0.5f, 64 * 64).ToArray(), 64, 64);
        Assert.All(h.Concat(v), r => Assert.Equal(0, r));
    }

    [Fact]
    public void APlaneSmallerThanOneBlockIsRefused() =>
        Assert.Throws<ArgumentException>(() => NoiseCorrelation.Measure(new float[8 * 100], 8, 100));

    public static TheoryData<string, NoiseKind, int> RealPairs => new()
    {
        { "real_noise/SIDD/NOISY_0.png", NoiseKind.Correlated, 2 }, { "real_noise/SIDD/NOISY_8.png", NoiseKind.Correlated, 2 },
        { "real_noise/CC/5dmark3_iso3200_1_real.png", NoiseKind.Correlated, 3 },
        { "real_noise/CC/d600_iso3200_1_real.png", NoiseKind.Correlated, 4 },
        { "real_noise/CC/d800_iso6400_1_real.png", NoiseKind.Correlated, 3 },
        { "microscopy/confocal/noisy/BPAE_B.tif", NoiseKind.PoissonGaussian, 1 },
        { "microscopy/confocal/noisy/BPAE_G.tif", NoiseKind.PoissonGaussian, 1 },
        { "microscopy/confocal/noisy/BPAE_R.tif", NoiseKind.PoissonGaussian, 1 },
        { "microscopy/confocal/noisy/fish.tif", NoiseKind.PoissonGaussian, 1 },
        { "microscopy/confocal/noisy/mice.tif", NoiseKind.PoissonGaussian, 1 },
    };

    [Theory]
    [MemberData(nameof(RealPairs))]
    public void RealNoiseIsClassified(string file, NoiseKind kind, int stride)
    {
        var report = NoiseLevelReport.Estimate(ImageFile.Read(SharedData.PathOf(["data", .. file.Split('/')])));
        output.WriteLine($"{file}: {report.Kind}, lag 1 {report.LagOneCorrelation:0.000}, share {report.PoissonShare:0.000}, stride {report.DecorrelatingStride}");
        Assert.Equal(kind, report.Kind);
        Assert.Equal(stride, report.DecorrelatingStride);
    }

    // Set12 04 (the starfish) at σ = 5 is the hardest case measured: texture everywhere, so even the flattest blocks
    // carry some, and it reads 0.29 against the 0.4 threshold.
    public static TheoryData<string, string, string> SyntheticNoise => new()
    {
        { "Set12", "04.png", "g5" }, { "Set12", "03.png", "g5" }, { "Set12", "04.png", "g25" }, { "Set12", "07.png", "g10" }, { "Set12", "05.png", "g50" },
        { "Kodak24", "kodim03.png", "g15" }, { "Set12", "04.png", "p30" }, { "Kodak24", "kodim03.png", "p50" },
        { "Kodak24", "kodim05.png", "p10" },
    };

    [Theory]
    [MemberData(nameof(SyntheticNoise))]
    public void SyntheticNoiseIsClassified(string set, string name, string noise)
    {
        var clean = ImageFile.Read(SharedData.PathOf("data", set, name));
        double level = double.Parse(noise[1..], System.Globalization.CultureInfo.InvariantCulture);
        var noisy = noise[0] == 'g' ? NoiseSynthesis.AddGaussian(clean, level, seed: 5) : NoiseSynthesis.AddPoisson(clean, level, seed: 5);
        var report = NoiseLevelReport.Estimate(noisy);
        output.WriteLine($"{name} {noise}: {report.Kind}, lag 1 {report.LagOneCorrelation:0.000}, share {report.PoissonShare:0.000}");
        Assert.Equal(noise[0] == 'g' ? NoiseKind.Gaussian : NoiseKind.PoissonGaussian, report.Kind);
        Assert.Equal(1, report.DecorrelatingStride);
    }
}
