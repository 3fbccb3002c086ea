using Hush.Denoising.Auto;
using Hush.Denoising.Methods.ZsN2N;
using Hush.Denoising.Noise;
using Hush.Imaging;
using Hush.Testing;

namespace Hush.Denoising.Tests;

/// <summary>The recommendation table: one test per row (the report that selects it and the whole choice it makes),
/// the choice on real development images, and how a choice rewrites the options.</summary>
public class ChoiceTableTests
{
    private static NoiseLevelReport Report(double lagOne, double? a, double? b, double mean = 0.4) =>
        new([0.02], 0.02, a, b)
        {
            CorrelationHorizontal = [lagOne, lagOne / 4, 0.0],
            CorrelationVertical = [lagOne, lagOne / 4, 0.0],
            MeanIntensity = mean,
        };

    [Fact]
    public void CorrelatedNoiseGetsBm3dOnTheShuffledSubImages()
    {
        var choice = ChoiceTable.Recommend(Report(0.55, 0.0, 4e-4));
        Assert.Equal(("correlated-camera-noise", "bm3d", 0, VarianceStabilization.Off), (choice.Row, choice.Method, choice.DecorrelationStride, choice.Stabilization));
        Assert.Equal("-m bm3d --decorrelate auto", choice.CommandLine);
        Assert.Contains("lag-1 autocorrelation 0.55", choice.Reason);
        Assert.Contains("at stride 2", choice.Reason);
    }

    [Fact]
    public void SignalDependentNoiseGetsBm3dAfterTheAnscombeTransform()
    {
        var choice = ChoiceTable.Recommend(Report(0.05, 0.01, 1e-4)); // a·m = 0.004 against b = 0.0001: 98 %
        Assert.Equal(("signal-dependent-noise", "bm3d", 1, VarianceStabilization.Anscombe), (choice.Row, choice.Method, choice.DecorrelationStride, choice.Stabilization));
        Assert.Equal("-m bm3d --stabilize anscombe", choice.CommandLine);
        Assert.Contains("(98% of its variance", choice.Reason);
    }

    [Theory]
    [InlineData(null, null)]   // no Poisson–Gaussian fit at all
    [InlineData(0.0, 4e-4)]    // a fit with no signal-dependent part
    public void WhiteNoiseGetsPlainBm3d(double? a, double? b)
    {
        var choice = ChoiceTable.Recommend(Report(0.1, a, b));
        Assert.Equal(("white-gaussian-noise", "bm3d", 1, VarianceStabilization.Off), (choice.Row, choice.Method, choice.DecorrelationStride, choice.Stabilization));
        Assert.Equal("-m bm3d", choice.CommandLine);
        Assert.Contains("σ ≈ 5.10/255).", choice.Reason);
    }

    [Fact]
    public void EveryNoiseKindHasExactlyOneRow()
    {
        Assert.Equal(["correlated-camera-noise", "signal-dependent-noise", "white-gaussian-noise"], ChoiceTable.RowNames);
        Assert.Equal(Enum.GetValues<NoiseKind>().Length, ChoiceTable.RowNames.Count);
    }

    public static TheoryData<string, string> DevelopmentImages => new()
    {
        { "real_noise/SIDD/NOISY_8.png", "-m bm3d --decorrelate auto" },
        { "real_noise/CC/d800_iso6400_1_real.png", "-m bm3d --decorrelate auto" },
        { "microscopy/confocal/noisy/fish.tif", "-m bm3d --stabilize anscombe" },
    };

    [Theory]
    [MemberData(nameof(DevelopmentImages))]
    public void RealImagesGetTheSettingMeasuredBestForThem(string file, string flags)
    {
        var image = ImageFile.Read(SharedData.PathOf(["data", .. file.Split('/')]));
        Assert.Equal(flags, ChoiceTable.Recommend(NoiseLevelReport.Estimate(image)).CommandLine);
    }

    [Fact]
    public void SyntheticGaussianNoiseOnANaturalImageGetsPlainBm3d()
    {
        var clean = ImageFile.Read(SharedData.PathOf("data", "Set12", "05.png"));
        var noisy = NoiseSynthesis.AddGaussian(clean, 25, seed: 3);
        Assert.Equal("white-gaussian-noise", ChoiceTable.Recommend(NoiseLevelReport.Estimate(noisy)).Row);
    }

    [Fact]
    public void ApplyingAChoiceResetsTheOldMethodsSettingsAndKeepsTheRest()
    {
        var options = new DenoiseOptions
        {
            Method = "zs-n2n", Iterations = 77, LearningRate = 0.01f, Seed = 5, Threads = 1,
            MethodOptions = new ZsN2NOptions(),
        };
        var chosen = ChoiceTable.Recommend(Report(0.55, 0.0, 4e-4)).ApplyTo(options);
        Assert.Equal(("bm3d", 0, VarianceStabilization.Off), (chosen.Method, chosen.DecorrelationStride, chosen.VarianceStabilization));
        Assert.Null(chosen.MethodOptions);
        Assert.Null(chosen.LearningRate);
        Assert.Equal(chosen.Descriptor.DefaultIterations, chosen.Iterations);
        Assert.Equal((5UL, 1), (chosen.Seed, chosen.Threads));
        chosen.Validate();
    }
}
