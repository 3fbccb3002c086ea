using Hush.Denoising.Decorrelation;
using Hush.Imaging;

namespace Hush.Denoising.Tests;

/// <summary>Pixel-shuffle decorrelation: the split and merge are exact inverses, and the denoiser takes the stride
/// asked for, or for auto the one the noise needs.</summary>
public class DecorrelationTests
{
    private static Image Ramp(int width, int height, int channels) =>
        new(width, height, channels, [.. Enumerable.Range(0, width * height * channels).Select(i => (i % 997) / 997f)]);

    [Theory]
    [InlineData(64, 48, 1, 2)]
    [InlineData(65, 47, 3, 2)]
    [InlineData(50, 61, 3, 3)]
    [InlineData(37, 37, 1, 4)]
    public void MergeUndoesSplit(int width, int height, int channels, int stride)
    {
        var image = Ramp(width, height, channels);
        var subs = PixelShuffle.Split(image, stride);
        Assert.Equal(stride * stride, subs.Length);
        Assert.All(subs, s => Assert.Equal(((width + stride - 1) / stride, (height + stride - 1) / stride), (s.Width, s.Height)));
        Assert.Equal(image.Data, PixelShuffle.Merge(subs, stride, image).Data);
    }

    [Fact]
    public void SubImagesHoldPixelsStrideApart()
    {
        var image = Ramp(8, 6, 1);
        var subs = PixelShuffle.Split(image, 2);
        // Sub-image (1, 0) holds rows 1, 3, 5 and columns 0, 2, 4, 6.
        Assert.Equal(image.Data[3 * 8 + 4], subs[2].Data[1 * 4 + 2]);
        Assert.Equal(image.Data[5 * 8 + 6], subs[2].Data[2 * 4 + 3]);
    }

    [Fact]
    public void OddSidesAreExtendedByMirroring()
    {
        var image = Ramp(5, 5, 1);
        var subs = PixelShuffle.Split(image, 2);
        // Sub-image (0, 0) column 2 is image column 4; sub-image (0, 1) column 2 would be image column 5, mirrored to 3.
        Assert.Equal(image.Data[4], subs[0].Data[2]);
        Assert.Equal(image.Data[3], subs[1].Data[2]);
    }

    private static Image Noisy(bool correlated)
    {
        // 128² RGB (camera noise comes in colour; grey images are never classed correlated): a soft ramp plus noise that
        // is white, or the same noise averaged over 2×2 (ρ(1) = 0.5), drawn for each channel.
        var rng = new Engine.Rng(11);
        int side = 128, plane = side * side;
        var data = new float[3 * plane];
        for (int c = 0; c < 3; c++)
        {
            var z = new double[(side + 1) * (side + 1)];
            for (int i = 0; i < z.Length; i++) z[i] = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            for (int y = 0; y < side; y++)
                for (int x = 0; x < side; x++)
                {
                    double n = correlated
                        ? (z[y * (side + 1) + x] + z[y * (side + 1) + x + 1] + z[(y + 1) * (side + 1) + x] + z[(y + 1) * (side + 1) + x + 1]) / 2
                        : z[y * (side + 1) + x];
                    data[c * plane + y * side + x] = (float)Math.Clamp(0.3 + 0.4 * x / side + 0.08 * n, 0, 1);
                }
        }
        return new Image(side, side, 3, data);
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 2)]
    public void AutoPicksTheStrideTheNoiseNeeds(bool correlated, int expected)
    {
        var denoiser = new Denoiser(new DenoiseOptions { DecorrelationStride = 0, Iterations = 5, Seed = 1, Threads = 1 });
        var result = denoiser.Denoise(Noisy(correlated));
        Assert.Equal(expected, result.DecorrelationStride);
    }

    [Fact]
    public void AGivenStrideIsUsedAndChangesTheResult()
    {
        var noisy = Noisy(correlated: true);
        var whole = new Denoiser(new DenoiseOptions { Iterations = 20, Seed = 1, Threads = 1 }).Denoise(noisy);
        var split = new Denoiser(new DenoiseOptions { DecorrelationStride = 2, Iterations = 20, Seed = 1, Threads = 1 }).Denoise(noisy);
        Assert.Equal(1, whole.DecorrelationStride);
        Assert.Equal(2, split.DecorrelationStride);
        Assert.Equal((noisy.Width, noisy.Height, noisy.Channels), (split.Output.Width, split.Output.Height, split.Output.Channels));
        Assert.NotEqual(whole.Output.Data, split.Output.Data);
        // Deterministic: the same seed gives the same bits.
        var again = new Denoiser(new DenoiseOptions { DecorrelationStride = 2, Iterations = 20, Seed = 1, Threads = 1 }).Denoise(noisy);
        Assert.Equal(split.Output.Data, again.Output.Data);
    }

    [Fact]
    public void ImagesTooSmallToSplitStayWhole()
    {
        var small = Ramp(40, 40, 1);
        var result = new Denoiser(new DenoiseOptions { DecorrelationStride = 2, Iterations = 2, Seed = 1, Threads = 1 }).Denoise(small);
        Assert.Equal(1, result.DecorrelationStride);
    }

    [Fact]
    public void StridesOutOfRangeAreRefused() =>
        Assert.Throws<ArgumentException>(() => new Denoiser(new DenoiseOptions { DecorrelationStride = 9 }));
}

/// <summary>The variance-stabilizing path: the transform and its inverse, and the denoiser using it when asked.</summary>
public class StabilizationTests
{
    [Fact]
    public void InverseOfTheForwardOfCleanDataStaysClose()
    {
        // The exact unbiased inverse maps E[f(y) | x] back to x, not f(x): for x with many counts the two agree closely.
        var s = new Stabilization.VarianceStabilizer(0.01, 1e-5);
        var clean = new Image(4, 1, 1, [0.2f, 0.4f, 0.6f, 0.9f]);
        var back = s.Inverse(s.Forward(clean).Data);
        for (int i = 0; i < 4; i++) Assert.InRange(back[i] - clean.Data[i], -0.01f, 0.01f);
        Assert.InRange(s.Sigma, 1 / (2 * Math.Sqrt(100.0)), 1 / (2 * Math.Sqrt(100.0) - 2 * Math.Sqrt(0.376)) + 0.01);
    }

    [Fact]
    public void PoissonNoiseIsStabilizedOnAutoAndGaussianIsNot()
    {
        var clean = ImageFile.Read(Testing.SharedData.PathOf("data", "Set12", "01.png")).Crop(64, 64, 128, 128);
        var poisson = Noise.NoiseSynthesis.AddPoisson(clean, 30, seed: 2);
        var gaussian = Noise.NoiseSynthesis.AddGaussian(clean, 25, seed: 2);
        var options = new DenoiseOptions { VarianceStabilization = VarianceStabilization.Auto, Iterations = 5, Seed = 1, Threads = 1 };
        var p = new Denoiser(options).Denoise(poisson);
        var g = new Denoiser(options).Denoise(gaussian);
        Assert.StartsWith("Poisson–Gaussian a", p.NoiseUsed);
        Assert.Null(g.NoiseUsed);
        var plain = new Denoiser(options with { VarianceStabilization = VarianceStabilization.Off }).Denoise(poisson);
        Assert.NotEqual(plain.Output.Data, p.Output.Data);
    }

    [Fact]
    public void StackPlanesGoThroughTheSameSteps()
    {
        // TIFF inputs come in as stacks: a one-plane stack must be stabilized like the image itself, and BM3D must take
        // the stabilized σ rather than estimate it.
        var clean = ImageFile.Read(Testing.SharedData.PathOf("data", "Set12", "01.png")).Crop(64, 64, 128, 128);
        var poisson = Noise.NoiseSynthesis.AddPoisson(clean, 30, seed: 2);
        var options = new DenoiseOptions { Method = "bm3d", VarianceStabilization = VarianceStabilization.Anscombe, Threads = 1 };
        var single = new Denoiser(options).Denoise(poisson);
        var stack = new Denoiser(options).DenoiseStack(ImageStack.FromImage(poisson, SampleType.Float32));
        Assert.Contains("of the stabilized data", single.NoiseUsed);
        Assert.Equal(single.NoiseUsed, stack.NoiseUsed);
        Assert.Equal(single.Output.Data, new StackPlanes(stack.Output).Read(0).Data);
    }

    [Fact]
    public void Bm3dsOwnPoissonModelAndStabilizationAreNotCombined() =>
        Assert.Throws<ArgumentException>(() => new Denoiser(new DenoiseOptions
        {
            Method = "bm3d", VarianceStabilization = VarianceStabilization.Anscombe,
            MethodOptions = new Methods.Bm3d.Bm3dOptions { NoiseModel = Methods.Bm3d.Bm3dNoiseModel.PoissonGaussian },
        }));
}
