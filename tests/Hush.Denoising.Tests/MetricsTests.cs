using Hush.Denoising.Metrics;
using Hush.Imaging;
using Hush.Testing;

namespace Hush.Denoising.Tests;

public class MetricsTests
{
    /// <summary>Computed with scikit-image 0.19.3 (Debian python3-skimage) by
    /// Fixtures/make_metric_constants.py: peak_signal_noise_ratio(clean, test, data_range=1) and
    /// structural_similarity(clean, test, gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
    /// data_range=1, channel_axis=2 for RGB), on the files decoded to float64 as sample/(2^bits−1).</summary>
    public static TheoryData<string, string, double, double> SkimageValues => new()
    {
        { "reference/zsn2n-kodak256/Kodak24_kodim01_g25.png", "reference/zsn2n-kodak256/Kodak24_kodim01_clean.png", 20.308163, 0.535871 },
        { "reference/zsn2n-kodak256/Kodak24_kodim05_g50.png", "reference/zsn2n-kodak256/Kodak24_kodim05_clean.png", 15.207762, 0.351062 },
        { "data/real_noise/SIDD/NOISY_8.png", "data/real_noise/SIDD/GT_8.png", 26.900791, 0.407711 },
        { "data/Set12/01.png", "data/Set12/02.png", 11.205859, 0.330505 },
        { "data/BSD68/test001.png", "data/BSD68/test002.png", 7.243341, 0.110961 },
    };

    [Theory]
    [MemberData(nameof(SkimageValues))]
    public void PsnrAndSsimMatchScikitImage(string test, string reference, double psnr, double ssim)
    {
        var a = ImageFile.Read(SharedData.PathOf(test.Split('/')));
        var b = ImageFile.Read(SharedData.PathOf(reference.Split('/')));
        Assert.Equal(psnr, Psnr.Compute(a, b), 5e-4);
        Assert.Equal(ssim, Ssim.Compute(a, b), 5e-5);
    }

    [Fact]
    public void IdenticalImagesHaveInfinitePsnrAndUnitSsim()
    {
        var a = ImageFile.Read(SharedData.PathOf("data", "Set12", "01.png"));
        Assert.True(double.IsPositiveInfinity(Psnr.Compute(a, a)));
        Assert.Equal(1.0, Ssim.Compute(a, a), 12);
    }

    [Fact]
    public void PsnrOfAKnownErrorIsExact()
    {
        // Every sample off by 0.1 → MSE 0.01 → 20 dB.
        var clean = new float[100];
        var test = Enumerable.Repeat(0.1f, 100).ToArray();
        Assert.Equal(20.0, Psnr.Compute(test, clean), 5);
    }

    [Fact]
    public void ShapeMismatchIsRejected()
    {
        var a = new Image(16, 16, 1);
        var b = new Image(16, 16, 3);
        Assert.Throws<ArgumentException>(() => Ssim.Compute(a, b));
        Assert.Throws<ArgumentException>(() => Psnr.Compute(a, b));
    }
}
