using Hush.Denoising.Metrics;
using Hush.Denoising.Noise;
using Hush.Denoising.Training;
using Hush.Engine;
using Hush.Imaging;
using Hush.Testing;
using Xunit.Abstractions;

namespace Hush.Denoising.Tests;

public class Noise2FastTests(ITestOutputHelper log)
{
    /// <summary>0 1 2 3 / 4 5 6 7 / 8 9 10 11 / 12 13 14 15: each value names its pixel.</summary>
    private static readonly float[] Grid4 = Enumerable.Range(0, 16).Select(i => (float)i).ToArray();

    [Fact]
    public void HorizontalHalvesAlternateLowerAndUpperPixelsByColumn()
    {
        var (a, b) = Noise2FastSplit.Horizontal(Grid4, 4, 4);
        Assert.Equal((2, 4), (a.Height, a.Width));
        Assert.Equal(new float[] { 4, 1, 6, 3, 12, 9, 14, 11 }, a.Data); // even columns: lower pixel; odd: upper
        Assert.Equal(new float[] { 0, 5, 2, 7, 8, 13, 10, 15 }, b.Data); // the complement
    }

    [Fact]
    public void VerticalHalvesAlternateRightAndLeftPixelsByRow()
    {
        var (a, b) = Noise2FastSplit.Vertical(Grid4, 4, 4);
        Assert.Equal((4, 2), (a.Height, a.Width));
        Assert.Equal(new float[] { 1, 3, 4, 6, 9, 11, 12, 14 }, a.Data); // even rows: right pixel; odd: left
        Assert.Equal(new float[] { 0, 2, 5, 7, 8, 10, 13, 15 }, b.Data);
    }

    [Fact]
    public void OddSizesLeaveTheLastRowAndColumnOutOfThePairs()
    {
        // 5 wide, 3 high: 0..4 / 5..9 / 10..14; the split sees the 4×2 top-left block only.
        var plane = Enumerable.Range(0, 15).Select(i => (float)i).ToArray();
        var (ha, hb) = Noise2FastSplit.Horizontal(plane, 3, 5);
        Assert.Equal((1, 4), (ha.Height, ha.Width));
        Assert.Equal(new float[] { 5, 1, 7, 3 }, ha.Data);
        Assert.Equal(new float[] { 0, 6, 2, 8 }, hb.Data);
        var (va, vb) = Noise2FastSplit.Vertical(plane, 3, 5);
        Assert.Equal((2, 2), (va.Height, va.Width));
        Assert.Equal(new float[] { 1, 3, 5, 7 }, va.Data);
        Assert.Equal(new float[] { 0, 2, 6, 8 }, vb.Data);

        var pairs = Noise2FastSplit.Pairs(plane, 3, 5).Select(p => (p.Input.Data, p.Target.Data));
        Assert.Equal(new[] { (hb.Data, ha.Data), (ha.Data, hb.Data), (va.Data, vb.Data), (vb.Data, va.Data) }, pairs);
    }

    [Fact]
    public void NetworkHasTheOfficialParameterCount()
    {
        // conv 1→64 (640) + 7 × conv 64→64 (36,928) + conv1×1 64→1 (65), as the official Net.
        Assert.Equal(640 + 7 * 36_928 + 65, new Noise2FastNetwork(new Rng(0)).ParameterCount);
        Assert.Equal(259_201, new Noise2FastNetwork(new Rng(0)).ParameterCount);
    }

    [Fact]
    public void BceEqualsItsHandComputationWithLogsClampedAtMinusOneHundred()
    {
        float[] p = [0.25f, 0.9f, 0f], y = [0f, 0.5f, 1f];
        double expected = -(Math.Log(0.75) + (0.5 * Math.Log(0.9) + 0.5 * Math.Log(0.1)) + -100) / 3;
        Assert.Equal(expected, Noise2FastLoss.Value(p, y), 5);
    }

    [Fact]
    public void TheSurrogatesGradientIsBceThroughTheSigmoid()
    {
        float[] z = [-2f, 0f, 0.7f, 3f];
        float[] y = [0.1f, 0.5f, 1f, 0f];
        var logits = Tensor.Parameter((float[])z.Clone(), 1, 1, 2, 2);
        Noise2FastLoss.Surrogate(logits, y, out float bce).Backward();
        var p = z.Select(v => 1 / (1 + Math.Exp(-v))).ToArray();
        double hand = -Enumerable.Range(0, 4).Average(i => y[i] * Math.Log(p[i]) + (1 - y[i]) * Math.Log(1 - p[i]));
        Assert.Equal(hand, bce, 5);
        for (int i = 0; i < 4; i++) Assert.Equal((p[i] - y[i]) / 4, logits.Grad![i], 5); // d BCE / d z = (σ(z) − y)/n
    }

    [Fact]
    public void TheBufferLagsOneStepAndStartsFromTheNetworkFreeZero()
    {
        // A learning rate too small to move a weight: every prediction is the untrained network's, P.
        var plane = Enumerable.Range(0, 64).Select(i => 0.2f + (i * 37 % 64) / 100f).ToArray();
        var options = new Noise2FastOptions { Buffer = 3, Fallback = false };
        var ch = new Noise2FastChannel(plane, 8, 8, 8, options, 1e-30f, new Rng(3));
        var arena = new TensorArena();
        ch.Step(arena);
        Assert.All(ch.Result(), v => Assert.Equal(0.2f, v, 6)); // only the zero before training: the minimum
        ch.Step(arena);
        var afterTwo = ch.Result(); // mean(0, P) de-normalised
        ch.Step(arena);
        var afterThree = ch.Result(); // mean(0, P, P)
        for (int i = 0; i < 64; i++)
        {
            float pNorm = (afterTwo[i] - 0.2f) / 0.63f * 2;
            Assert.Equal(0.2f + 0.63f * (2 * pNorm / 3), afterThree[i], 5);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public void WithoutImprovementTheRunStopsAfterPatiencePlusOneSteps(int patience)
    {
        // Frozen weights: the first score beats −∞, no later one beats it, so the run ends at step patience + 2.
        var noisy = NoiseSynthesis.AddGaussian(Crop("Set12", "01.png", 16), 25, seed: 1);
        var steps = new List<int>();
        var options = new DenoiseOptions
        {
            Method = "noise2fast", Iterations = 1000, LearningRate = 1e-30f, Seed = 1, Threads = 1,
            MethodOptions = new Noise2FastOptions { Patience = patience, Fallback = false },
        };
        new Denoiser(options).Denoise(noisy, new Inline(p => steps.Add(p.Iteration)));
        Assert.Equal(Enumerable.Range(1, patience + 2), steps);
    }

    [Fact]
    public void TinyConstantAndOddImagesComeBackWithTheirShape()
    {
        var constant = new Image(5, 3, 1, Enumerable.Repeat(0.4f, 15).ToArray());
        var options = new DenoiseOptions { Method = "noise2fast", Iterations = 4, Seed = 1, Threads = 1 };
        Assert.Equal(constant.Data, new Denoiser(options).Denoise(constant).Output.Data);
        var odd = NoiseSynthesis.AddGaussian(Crop("Kodak24", "kodim05.png", 16).Crop(0, 0, 7, 5), 25, seed: 2);
        var result = new Denoiser(options).Denoise(odd).Output;
        Assert.Equal((7, 5, 3), (result.Width, result.Height, result.Channels));
        Assert.All(result.Data, v => Assert.InRange(v, 0f, 1f));
    }

    /// <summary>A 64×64 grey crop with σ=25 noise at the shipped defaults (the stopping rule ends it), 1 thread.</summary>
    [Fact]
    public void TheDefaultsGiveThePinnedGainOnAGreyCrop()
    {
        var clean = Crop("Set12", "08.png", 64);
        var noisy = NoiseSynthesis.AddGaussian(clean, 25, seed: 2);
        var steps = 0;
        var result = new Denoiser(new DenoiseOptions { Method = "noise2fast", Seed = 5, Threads = 1 })
            .Denoise(noisy, new Inline(p => steps = p.Iteration));
        double before = Psnr.Compute(noisy, clean), after = Psnr.Compute(result.Output, clean);
        log.WriteLine($"Set12/08 64²: noisy {before:0.00} dB, denoised {after:0.00} dB, {steps} steps");
        Assert.True(steps < 3000, "the stopping rule, not the cap, ended the run");
        PinnedGain.Check(log, "noise2fast Set12/08", after - before, 11.638, 11.654, 11.576);
    }

    private static Image Crop(string set, string file, int size) =>
        ImageFile.Read(SharedData.PathOf("data", set, file)).Crop(96, 96, size, size);

    private sealed class Inline(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
