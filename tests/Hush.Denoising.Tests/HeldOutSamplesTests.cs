using Hush.Denoising.Masking;
using Hush.Denoising.Methods.Blind2Grad;
using Hush.Denoising.Methods.Self2SelfPlus;
using Hush.Denoising.Tests.Contract;
using Hush.Denoising.Training;
using Hush.Engine;
using Xunit.Abstractions;

namespace Hush.Denoising.Tests;

/// <summary>The masked-sample methods' stopping rule (Self2Self+, Blind2Grad): held-out samples never enter a loss, their
/// loss against a direct computation, and whole runs that end with exactly the weights of a shorter run.</summary>
public class HeldOutSamplesTests(ITestOutputHelper log)
{
    [Fact]
    public void HeldOutSamplesAreMaskedButNeverATarget()
    {
        var image = new MaskedImage(ContractRuns.Noisy, flips: false);
        var held = HeldOutSamples.Of(image, new Rng(3), seed: 5);
        int inside = image.Channels * image.Height * image.Width;
        Assert.InRange(held.Indices.Count, 0.07 * inside, 0.13 * inside); // 3072 samples: 3 σ ≈ 0.016
        var rng = new Rng(4);
        int maskedHeld = 0;
        for (int draw = 0; draw < 20; draw++)
        {
            int count = image.DrawMask(rng, 0.4f);
            foreach (int i in held.Indices)
            {
                Assert.Equal(0f, image.Dropped[i]);
                maskedHeld += image.Keep[i] == 0f ? 1 : 0;
            }
            Assert.Equal((int)image.Dropped.Sum(), count);
        }
        Assert.InRange(maskedHeld / (20.0 * held.Indices.Count), 0.35, 0.45); // masked at the rate, like every sample
    }

    [Fact]
    public void TheLossIsTheSquaredErrorOfTheMeanPredictionWhereThePassesDropped()
    {
        var image = new MaskedImage(ContractRuns.Noisy, flips: false);
        var held = HeldOutSamples.Of(image, new Rng(3), seed: 5);
        float[] y = image.Variant(0).Data;
        var sum = new double[y.Length];
        var count = new int[y.Length];
        int pass = 0;
        Tensor Pass(Rng r) // the output is 0.1 · (pass number) everywhere: the mean differs by sample
        {
            image.DrawMask(r, 0.3f);
            pass++;
            foreach (int i in held.Indices)
                if (image.Keep[i] == 0f) { sum[i] += 0.1 * pass; count[i]++; }
            return Tensor.FromArray(Enumerable.Repeat(0.1f * pass, y.Length).ToArray(), image.Shape);
        }

        float loss = held.Loss(Pass, image.Keep, y, new TensorArena());
        Assert.Equal(HeldOutSamples.Passes, pass);
        double expected = 0;
        int measured = 0;
        foreach (int i in held.Indices.Where(i => count[i] > 0))
        {
            expected += Math.Pow(sum[i] / count[i] - y[i], 2);
            measured++;
        }
        Assert.InRange(measured, 0.6 * held.Indices.Count, 0.9 * held.Indices.Count); // 1 − 0.7⁴ = 76 % dropped at least once
        Assert.Equal(expected / measured, loss, 5);
        pass = 0;
        Array.Clear(sum);
        Array.Clear(count);
        Assert.Equal(loss, held.Loss(Pass, image.Keep, y, new TensorArena())); // the same masks every measurement
    }

    [Fact]
    public void Self2SelfPlusEndsWithTheWeightsOfTheRunAsLongAsTheKeptStep()
    {
        var options = new DenoiseOptions
        {
            Method = "self2self-plus", Seed = 4, Threads = 1, Iterations = 600, LearningRate = 2e-3f, EarlyStop = true,
            MethodOptions = new Self2SelfPlusOptions { Passes = 4 },
        };
        var stopped = new Denoiser(options).Denoise(ContractRuns.Noisy);
        int kept = stopped.KeptIteration!.Value;
        log.WriteLine($"self2self-plus: kept step {kept} of {stopped.Iterations}; held-out loss {string.Join(", ", stopped.HeldOutLoss!.Select(m => $"{m.Step}: {m.Loss:0.000000}"))}");
        Assert.InRange(kept, EarlyStopping.Every, stopped.Iterations - 1); // the kept weights are not the last
        Assert.Equal(0, kept % EarlyStopping.Every);
        Assert.Equal(stopped.Iterations / EarlyStopping.Every, stopped.HeldOutLoss!.Count);
        Assert.True(stopped.HeldOutLoss[^1].Loss < stopped.HeldOutLoss[0].Loss, "the held-out loss never fell");
        // The same run told to stop at the kept step trains on the same samples, measures the same losses and keeps its
        // last weights, the best so far: the same bits.
        var shorter = new Denoiser(options with { Iterations = kept }).Denoise(ContractRuns.Noisy);
        Assert.Equal(kept, shorter.KeptIteration);
        Assert.Equal(shorter.Output.Data, stopped.Output.Data);
        // Without the rule every sample is a target: another run.
        Assert.NotEqual(new Denoiser(options with { EarlyStop = false, Iterations = kept }).Denoise(ContractRuns.Noisy).Output.Data, stopped.Output.Data);
    }

    [Fact]
    public void Blind2GradHoldsOutWholePixelsThatItsMaskHidesButNeverCounts()
    {
        const int c = 3, h = 20, w = 28, hp = 32, wp = 32;
        var held = new HeldOutSamples(c, h, w, hp, wp, wholePixels: true, new Rng(3), seed: 5);
        var pixels = held.Indices.Where(i => i < hp * wp).ToArray();
        Assert.Equal(c * pixels.Length, held.Indices.Count);
        Assert.All(pixels, p => Assert.True(p / wp < h && p % wp < w)); // inside the image, never the padding
        Assert.All(pixels, p => Assert.Contains(2 * hp * wp + p, held.Indices)); // every channel of a held pixel
        var mask = new DualMask(c, h, w, hp, wp, 0.4f, 100f, 0.5f);
        mask.HoldOut(held.Indices);
        var rng = new Rng(4);
        int hidden = 0;
        for (int draw = 0; draw < 20; draw++)
        {
            int count = mask.Draw(rng);
            Assert.Equal((int)mask.Dropped.Sum(), count);
            foreach (int i in held.Indices)
            {
                Assert.Equal(0f, mask.Dropped[i]);
                hidden += mask.KeepSamples[i] == 0f ? 1 : 0;
            }
        }
        Assert.InRange(hidden / (20.0 * held.Indices.Count), 0.3, 0.5); // hidden at the rate, like every pixel
    }

    [Fact]
    public void Blind2GradEndsWithTheWeightsAndMaskOfTheRunAsLongAsTheKeptStep()
    {
        var options = new DenoiseOptions
        {
            Method = "blind2grad", Seed = 4, Threads = 1, Iterations = 600, LearningRate = 1e-2f, EarlyStop = true,
            MethodOptions = new Blind2GradOptions { CycleLength = 30, Passes = 4 }, // reallocations between measurements
        };
        var stopped = new Denoiser(options).Denoise(ContractRuns.Noisy);
        int kept = stopped.KeptIteration!.Value;
        log.WriteLine($"blind2grad: kept step {kept} of {stopped.Iterations}; held-out loss {string.Join(", ", stopped.HeldOutLoss!.Select(m => $"{m.Step}: {m.Loss:0.000000}"))}");
        Assert.InRange(kept, EarlyStopping.Every, stopped.Iterations - 1); // the kept weights are not the last
        Assert.Equal(stopped.Iterations / EarlyStopping.Every, stopped.HeldOutLoss!.Count);
        Assert.True(stopped.HeldOutLoss.Min(m => m.Loss) < stopped.HeldOutLoss[0].Loss, "the held-out loss never fell");
        var shorter = new Denoiser(options with { Iterations = kept }).Denoise(ContractRuns.Noisy);
        Assert.Equal(kept, shorter.KeptIteration);
        Assert.Equal(shorter.Output.Data, stopped.Output.Data); // the passes draw from the kept step's mask distribution
    }

    [Fact]
    public void TheRuleRefusesAnOutputAveragedDuringTraining() =>
        Assert.Contains("output-ema", Assert.Throws<ArgumentException>(() => new Denoiser(new DenoiseOptions
        {
            Method = "self2self-plus", EarlyStop = true, MethodOptions = new Self2SelfPlusOptions { OutputEma = 0.99f },
        })).Message);
}
