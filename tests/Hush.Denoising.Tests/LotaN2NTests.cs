using Hush.Denoising.Metrics;
using Hush.Denoising.Noise;
using Hush.Engine;
using Hush.Imaging;
using Hush.Testing;
using Xunit.Abstractions;

namespace Hush.Denoising.Tests;

public class LotaN2NTests(ITestOutputHelper log)
{
    private static float[] Random(Rng rng, int n, float scale = 1f) =>
        Enumerable.Range(0, n).Select(_ => scale * (rng.NextFloat() * 2f - 1f)).ToArray();

    // Σ over the window of (f − x̂)(x̂ − y') / count, in double.
    private static double Direct(float[] f, float[] x, float[] y, int c, int h, int w, int r0, int c0, int ph, int pw)
    {
        double s = 0;
        for (int ch = 0; ch < c; ch++)
            for (int i = r0; i < r0 + ph; i++)
                for (int j = c0; j < c0 + pw; j++)
                {
                    int k = (ch * h + i) * w + j;
                    s += ((double)f[k] - x[k]) * ((double)x[k] - y[k]);
                }
        return s / (c * ph * pw);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(3)] // 6×8 with 3×3 windows: the last two columns are left out
    public void TraceMagnitudeEqualsADirectComputation(int patch)
    {
        const int c = 2, h = 6, w = 8;
        var rng = new Rng(1);
        float[] f = Random(rng, c * h * w), x = Random(rng, c * h * w), y = Random(rng, c * h * w);
        float got = TraceTerm.Magnitude(Tensor.FromArray(f, 1, c, h, w), Tensor.FromArray(x, 1, c, h, w),
            Tensor.FromArray(y, 1, c, h, w), patch).Item();
        double expected;
        if (patch == 0)
        {
            expected = Math.Abs(Direct(f, x, y, c, h, w, 0, 0, h, w));
        }
        else
        {
            var windows = new List<double>();
            for (int i = 0; i + patch <= h; i += patch)
                for (int j = 0; j + patch <= w; j += patch)
                    windows.Add(Math.Abs(Direct(f, x, y, c, h, w, i, j, patch, patch)));
            expected = windows.Average();
        }

        Assert.Equal(expected, got, 1e-5);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void TraceMagnitudeGradientMatchesFiniteDifferences(int patch)
    {
        const int c = 3, h = 4, w = 6;
        var rng = new Rng(2);
        float[] f = Random(rng, c * h * w), x = Random(rng, c * h * w), y = Random(rng, c * h * w);
        var proxy = Tensor.FromArray(x, 1, c, h, w);
        var target = Tensor.FromArray(y, 1, c, h, w);
        var ft = Tensor.Parameter((float[])f.Clone(), 1, c, h, w);
        TraceTerm.Magnitude(ft, proxy, target, patch).Backward();
        const float eps = 1e-3f;
        for (int k = 0; k < f.Length; k += 5)
        {
            float[] plus = (float[])f.Clone(), minus = (float[])f.Clone();
            plus[k] += eps;
            minus[k] -= eps;
            double numeric = (TraceTerm.Magnitude(Tensor.FromArray(plus, 1, c, h, w), proxy, target, patch).Item()
                - TraceTerm.Magnitude(Tensor.FromArray(minus, 1, c, h, w), proxy, target, patch).Item()) / (2 * eps);
            Assert.Equal(numeric, ft.Grad![k], 2e-3);
        }
    }

    /// <summary>Two sub-images with different clean content (x1 ≠ x2, as ZS-N2N's are): the trace of a prediction's
    /// error against the other sub-image's noise is not zero, and its estimate with a proxy for x1 converges to the
    /// true value as the proxy approaches x1.</summary>
    [Fact]
    public void TheTraceEstimateTracksTheTrueTraceAsTheProxyImproves()
    {
        const int c = 1, h = 32, w = 32;
        var rng = new Rng(3);
        float[] x1 = new float[h * w], x2 = new float[h * w];
        for (int i = 0; i < h; i++)
            for (int j = 0; j < w; j++)
            {
                x1[i * w + j] = 0.5f + 0.4f * MathF.Sin(i * 0.3f) * MathF.Cos(j * 0.2f);
                x2[i * w + j] = 0.5f + 0.4f * MathF.Sin(i * 0.3f + 0.25f) * MathF.Cos(j * 0.2f + 0.25f); // shifted content
            }

        float[] y2 = x2.Zip(Random(rng, h * w, 0.1f), (a, n) => a + n).ToArray();
        float[] f = x1.Zip(Random(rng, h * w, 0.05f), (a, n) => a + 0.8f * (a - 0.5f) + n).ToArray(); // a biased prediction
        var ft = Tensor.FromArray(f, 1, c, h, w);
        double truth = Math.Abs(Direct(f, x1, y2, c, h, w, 0, 0, h, w));
        Assert.True(truth > 1e-3, $"true trace {truth} should not vanish when x1 != x2");

        double previous = double.MaxValue;
        float[] perturbation = Random(rng, h * w);
        foreach (float error in new[] { 0.1f, 0.03f, 0.01f, 0.001f })
        {
            float[] proxy = x1.Zip(perturbation, (a, p) => a + error * p).ToArray();
            double estimate = TraceTerm.Magnitude(ft, Tensor.FromArray(proxy, 1, c, h, w), Tensor.FromArray(y2, 1, c, h, w), 0).Item();
            double gap = Math.Abs(estimate - truth);
            log.WriteLine($"proxy error {error}: estimate {estimate:0.00000}, truth {truth:0.00000}, gap {gap:0.00000}");
            Assert.True(gap < previous, $"gap {gap} did not shrink (previous {previous})");
            previous = gap;
        }

        Assert.True(previous < 0.02 * truth, $"with a 0.001 proxy error the estimate is off by {previous} (truth {truth})");
    }

    [Fact]
    public void DenoisesASmallCropAndTheSameSeedGivesTheSameOutput()
    {
        var clean = ImageFile.Read(SharedData.PathOf("data", "Kodak24", "kodim03.png")).Crop(96, 96, 64, 64);
        var noisy = NoiseSynthesis.AddGaussian(clean, 25, seed: 1);
        var options = new DenoiseOptions
        {
            Method = "lota-n2n", Iterations = 300, Seed = 5, Threads = 2,
            MethodOptions = new LotaN2NOptions { FineTuneIterations = 100, PatchSize = 16 },
        };
        var a = new Denoiser(options).Denoise(noisy);
        double before = Psnr.Compute(noisy, clean), after = Psnr.Compute(a.Output, clean);
        log.WriteLine($"LoTA-N2N 200+100 iterations: noisy {before:0.00} dB, denoised {after:0.00} dB");
        PinnedGain.Check(log, "lota-n2n 200+100", after - before, avx512: 8.628, avx2: 8.566, scalar: 8.658);
        Assert.Equal(("lota-n2n", 300), (a.Method, a.Iterations));
        var b = new Denoiser(options).Denoise(noisy.Crop(0, 0, 40, 36));
        var b2 = new Denoiser(options).Denoise(noisy.Crop(0, 0, 40, 36));
        Assert.Equal(b.Output.Data, b2.Output.Data);
    }

    [Fact]
    public void StageOneIsExactlyZsN2N()
    {
        // Without fine-tuning LoTA-N2N must return ZS-N2N's output bit for bit: same seed, network, loss, schedule.
        var clean = ImageFile.Read(SharedData.PathOf("data", "Kodak24", "kodim03.png")).Crop(96, 96, 48, 40);
        var noisy = NoiseSynthesis.AddGaussian(clean, 25, seed: 2);
        var zs = new Denoiser(new DenoiseOptions { Iterations = 60, Seed = 9, Threads = 2 }).Denoise(noisy);
        var lota = new Denoiser(new DenoiseOptions
        { Method = "lota-n2n", Iterations = 60, Seed = 9, Threads = 2, MethodOptions = new LotaN2NOptions { FineTuneIterations = 0 } }).Denoise(noisy);
        Assert.Equal(zs.Output.Data, lota.Output.Data);
        Assert.Equal(60, lota.Iterations);
    }

    [Fact]
    public void TrainsOnPatchesWithPerStepProxiesWhenTheImageExceedsTheBudget()
    {
        // Patches: the stage-1 model is copied and its proxies computed for each step's patch; inference runs tiled.
        var clean = ImageFile.Read(SharedData.PathOf("data", "Set12", "08.png")).Crop(64, 64, 96, 96);
        var noisy = NoiseSynthesis.AddGaussian(clean, 25, seed: 2);
        long budget = 96 * 96 * Training.MemoryPlan.TrainingBytesPerPixel / 2; // a whole-image step does not fit
        var options = new DenoiseOptions
        {
            Method = "lota-n2n", Iterations = 300, Seed = 5, Threads = 2, MemoryBudget = budget, PatchSize = 48,
            MethodOptions = new LotaN2NOptions { FineTuneIterations = 100 },
        };
        var result = new Denoiser(options).Denoise(noisy);
        double gain = Psnr.Compute(result.Output, clean) - Psnr.Compute(noisy, clean);
        log.WriteLine($"LoTA-N2N on 48×48 patches: gain {gain:0.00} dB");
        PinnedGain.Check(log, "lota-n2n patches", gain, avx512: 8.651, avx2: 8.489, scalar: 8.911);
        var whole = new Denoiser(options with { MemoryBudget = 1L << 30 }).Denoise(noisy);
        Assert.True(whole.Output.Data.Zip(result.Output.Data, (a, b) => Math.Abs(a - b)).Max() > 1e-3f); // patches were used
    }

    [Fact]
    public void InvalidStageSettingsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => new Denoiser(new DenoiseOptions
        { Method = "lota-n2n", Iterations = 100, MethodOptions = new LotaN2NOptions { FineTuneIterations = 100 } }));
        Assert.Throws<ArgumentException>(() => new Denoiser(new DenoiseOptions
        { Method = "lota-n2n", Iterations = 100, MethodOptions = new LotaN2NOptions { FineTuneIterations = -1 } }));
        Assert.Throws<ArgumentException>(() => new Denoiser(new DenoiseOptions
        { Method = "lota-n2n", MethodOptions = new LotaN2NOptions { TraceWeight = -1 } }));
        Assert.Throws<ArgumentException>(() => new Denoiser(new DenoiseOptions
        { Method = "lota-n2n", MethodOptions = new LotaN2NOptions { PatchSize = -2 } }));
    }
}
