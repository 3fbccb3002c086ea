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
        Assert.Contains("-m self2self-plus --preset sidd", choice.Reason); // the slower, better setting for stride-2 noise
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
    public void EveryNoiseKindHasARowThatNeedsNoTime()
    {
        Assert.Equal(["camera-noise-with-time", "correlated-camera-noise", "signal-dependent-noise", "spatially-varying-noise", "white-gaussian-noise"],
            ChoiceTable.RowNames);
        foreach (var (lag, a) in new (double, double?)[] { (0.55, 0.0), (0.05, 0.01), (0.1, null) })
            Assert.Equal("bm3d", ChoiceTable.Recommend(Report(lag, a, a is null ? null : 1e-4)).Method); // no budget: seconds
        Assert.Equal("zs-n2n", ChoiceTable.Recommend(Report(0.1, null, null) with { Sigma = 0.08, SigmaSpread = 3 }).Method); // the exception, measured
    }

    [Theory]
    [InlineData(3.0, 20.0, "spatially-varying-noise")]
    [InlineData(2.0, 20.0, "white-gaussian-noise")]   // within what one level of white noise measured (up to 1.57)
    [InlineData(3.0, 5.0, "white-gaussian-noise")]    // at σ = 5 texture alone spreads the regional estimates
    public void WhiteNoiseWhoseLevelChangesAcrossTheImageGetsZsN2N(double spread, double sigma255, string row)
    {
        var report = new NoiseLevelReport([sigma255 / 255], sigma255 / 255, null, null)
        {
            CorrelationHorizontal = [0.1, 0.0, 0.0], CorrelationVertical = [0.1, 0.0, 0.0], MeanIntensity = 0.4, SigmaSpread = spread,
        };
        var choice = ChoiceTable.Recommend(report);
        Assert.Equal(row, choice.Row);
        if (row == "spatially-varying-noise")
        {
            Assert.Equal("-m zs-n2n", choice.CommandLine);
            Assert.Contains("3.00× from the quietest region to the noisiest", choice.Reason);
        }
    }

    [Fact]
    public void NoiseRisingAcrossANaturalImageIsSeenAsSpatiallyVarying()
    {
        var full = ImageFile.Read(SharedData.PathOf("data", "Set12", "02.png"));
        var clean = full.Crop((full.Width - 128) / 2, (full.Height - 128) / 2, 128, 128);
        var varying = NoiseLevelReport.Estimate(NoiseSynthesis.AddVaryingGaussian(clean, 5, 50, seed: 0));
        Assert.InRange(varying.SigmaSpread, 3.3, 3.5); // measured 3.40
        Assert.Equal("spatially-varying-noise", ChoiceTable.Recommend(varying).Row);
        var uniform = NoiseLevelReport.Estimate(NoiseSynthesis.AddGaussian(clean, 25, seed: 0));
        Assert.InRange(uniform.SigmaSpread, 1.0, 1.6);
        Assert.Equal("white-gaussian-noise", ChoiceTable.Recommend(uniform).Row);
    }

    [Fact]
    public void CameraNoiseGetsSelf2SelfPlusWithTheSiddSettingsWhenTheBudgetHoldsIt()
    {
        var camera = Report(0.55, 0.0, 4e-4);
        var time = new RunTime(256, 256, 2, TimeSpan.FromMinutes(15));
        Assert.Equal(631.8, time.Self2SelfPlusSiddSeconds, 1); // (413 + 73) s at 256² on 2 threads, 1.3× for AVX2
        var choice = ChoiceTable.Recommend(camera, time);
        Assert.Equal(("camera-noise-with-time", "self2self-plus", "-m self2self-plus --preset sidd"), (choice.Row, choice.Method, choice.CommandLine));
        var options = choice.ApplyTo(new DenoiseOptions { Seed = 1, TimeBudget = time.Budget });
        Assert.Equal((0.9f, 1000, time.Budget), (options.OptionsOf<Methods.Self2SelfPlus.Self2SelfPlusOptions>().MaskProbability, options.Iterations, options.TimeBudget));

        // Too little time (10 minutes on 256², or 15 on 512²), or none given: BM3D on the sub-images.
        Assert.Equal("correlated-camera-noise", ChoiceTable.Recommend(camera, time with { Budget = TimeSpan.FromMinutes(10) }).Row);
        Assert.Equal("correlated-camera-noise", ChoiceTable.Recommend(camera, time with { Width = 512, Height = 512 }).Row);
        Assert.Equal("correlated-camera-noise", ChoiceTable.Recommend(camera, time with { Budget = null }).Row);
        // Noise that reaches further than one pixel (white only at stride 3, as on the Nikon pairs) stays with BM3D.
        var wide = new NoiseLevelReport([0.02], 0.02, 0.0, 4e-4)
        {
            CorrelationHorizontal = [0.7, 0.35, 0.1], CorrelationVertical = [0.7, 0.35, 0.1], MeanIntensity = 0.4,
        };
        Assert.Equal(3, wide.DecorrelatingStride);
        Assert.Equal("correlated-camera-noise", ChoiceTable.Recommend(wide, time).Row);
        Assert.DoesNotContain("self2self-plus", ChoiceTable.Recommend(wide, time).Reason); // measured worse than BM3D there
        // Other noise never takes it.
        Assert.Equal("white-gaussian-noise", ChoiceTable.Recommend(Report(0.1, null, null), time).Row);
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

    /// <summary>White noise on textured crops, whose texture alone measured a lag-1 correlation above the threshold
    /// (0.40–0.67): grey, or colour whose noise does not hide from the fine-scale σ estimate, so not camera noise.</summary>
    [Theory]
    [InlineData("Set12", "04.png", 128, 15)]
    [InlineData("Set12", "05.png", 128, 25)]
    [InlineData("McMaster", "1.png", 128, 25)]
    [InlineData("Kodak24", "kodim05.png", 256, 15)]
    public void WhiteNoiseOnTexturedCropsIsNotTakenForCameraNoise(string set, string file, int size, int sigma)
    {
        var full = ImageFile.Read(SharedData.PathOf("data", set, file));
        var clean = full.Crop((full.Width - size) / 2, (full.Height - size) / 2, size, size);
        var report = NoiseLevelReport.Estimate(NoiseSynthesis.AddGaussian(clean, sigma, seed: 0));
        Assert.True(report.LagOneCorrelation > NoiseLevelReport.CorrelatedAbove, $"lag-1 {report.LagOneCorrelation}"); // what misled it before
        Assert.Equal(NoiseKind.Gaussian, report.Kind);
        Assert.Equal("-m bm3d", ChoiceTable.Recommend(report).CommandLine);
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
