using Hush.Denoising.Masking;
using Hush.Denoising.Metrics;
using Hush.Denoising.Noise;
using Hush.Denoising.Training;
using Hush.Engine;
using Hush.Imaging;
using Hush.Testing;
using Xunit.Abstractions;

namespace Hush.Denoising.Tests;

public class SelfToSelfTests(ITestOutputHelper log)
{

    private static DenoiseOptions Short(string method, int iterations, int passes, ulong seed = 5) => new()
    {
        Method = method,
        Iterations = iterations,
        Seed = seed,
        Threads = 2,
        MethodOptions = method == "self2self" ? new Self2SelfOptions { Passes = passes } : new Self2SelfPlusOptions { Passes = passes },
    };

    /// <summary>Short runs on a 32×32 crop with σ = 25, far from the published schedules (4000 / 150,000 iterations,
    /// 500 / 100 passes): the gain is pinned, for a grey image too (the contract's crop is colour). The Self2Self run
    /// uses a 1e-3 learning rate so that its short run gets somewhere.</summary>
    [Theory]
    [InlineData("self2self-plus", "Kodak24", "kodim03.png", 1UL, 100, 6, 6.352, 6.507, 6.459)] // colour
    [InlineData("self2self-plus", "Set12", "08.png", 2UL, 100, 6, 4.954, 4.570, 4.992)]        // grey
    [InlineData("self2self", "Kodak24", "kodim03.png", 1UL, 150, 6, 6.750, 6.718, 6.825)]
    public void AShortRunGivesThePinnedGain(string method, string set, string file, ulong noiseSeed, int iterations, int passes,
        double avx512, double avx2, double scalar)
    {
        var clean = UNetCrops.Crop32(set, file);
        var noisy = NoiseSynthesis.AddGaussian(clean, 25, noiseSeed);
        var options = Short(method, iterations, passes);
        if (method == "self2self") options = options with { LearningRate = 1e-3f };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = new Denoiser(options).Denoise(noisy);
        double before = Psnr.Compute(noisy, clean), after = Psnr.Compute(result.Output, clean);
        log.WriteLine($"{method} {set}/{file}: noisy {before:0.00} dB, denoised {after:0.00} dB, gain {after - before:0.00} dB, {clock.Elapsed.TotalSeconds:0.0} s");
        PinnedGain.Check(log, $"{method} {set}/{file}", after - before, avx512, avx2, scalar);
        Assert.All(result.Output.Data, v => Assert.InRange(v, 0f, 1f));
    }

    [Theory]
    [InlineData("self2self-plus")]
    [InlineData("self2self")]
    public void TheSameSeedAndThreadCountGiveABitIdenticalOutput(string method)
    {
        // 20×17: not a multiple of 32, so the reflect padding and the crop are part of what must repeat.
        var noisy = NoiseSynthesis.AddGaussian(UNetCrops.Crop32("Kodak24", "kodim05.png").Crop(0, 0, 20, 17), 25, seed: 3);
        var options = Short(method, 3, 2, seed: 42);
        UNetCrops.AssertRepeatableAndSeeded(options, noisy);
    }

    [Fact]
    public void PaddingAndFlipsRoundTripAndTheLossCountsOnlyDroppedSamplesInsideTheImage()
    {
        var rng = new Rng(1);
        var noisy = new Image(37, 5, 2, Enumerable.Range(0, 37 * 5 * 2).Select(_ => rng.NextFloat()).ToArray());
        var image = new MaskedImage(noisy, flips: true);
        Assert.Equal(new[] { 1, 2, 32, 64 }, image.Shape);
        for (int v = 0; v < 4; v++)
        {
            var sum = new double[noisy.Data.Length];
            image.AccumulateCropped(image.Variant(v).Data, v, sum);
            Assert.Equal(noisy.Data, sum.Select(x => (float)x).ToArray());
        }

        // Reflect padding: row 5 of the padded image is row 3 of the image, column 37 is column 35.
        Assert.Equal(noisy.Data[3 * 37 + 4], image.Variant(0).Data[5 * 64 + 4]);
        Assert.Equal(noisy.Data[2 * 37 + 35], image.Variant(0).Data[2 * 64 + 37]);

        int count = image.DrawMask(new Rng(2), 0.4f);
        int dropped = 0, droppedInside = 0;
        for (int c = 0; c < 2; c++)
            for (int i = 0; i < 32; i++)
                for (int j = 0; j < 64; j++)
                {
                    int k = (c * 32 + i) * 64 + j;
                    dropped += image.Keep[k] == 0f ? 1 : 0;
                    bool inside = i < 5 && j < 37;
                    Assert.Equal(inside && image.Keep[k] == 0f ? 1f : 0f, image.Dropped[k]);
                    droppedInside += inside && image.Keep[k] == 0f ? 1 : 0;
                }
        Assert.Equal(droppedInside, count);
        Assert.InRange(dropped / (2.0 * 32 * 64), 0.37, 0.43);

        var output = Tensor.FromArray(Enumerable.Range(0, 2 * 32 * 64).Select(_ => rng.NextFloat()).ToArray(), image.Shape);
        double l1 = 0, l2 = 0;
        float[] y = image.Variant(2).Data;
        for (int k = 0; k < y.Length; k++)
        {
            double e = image.Dropped[k] * ((double)output.Data[k] - y[k]);
            l1 += Math.Abs(e);
            l2 += e * e;
        }

        Assert.Equal(l1 / count, image.Loss(output, 2, count, l1: true).Item(), 1e-5);
        Assert.Equal(l2 / count, image.Loss(output, 2, count, l1: false).Item(), 1e-5);
    }

    [Fact]
    public void NetworksKeepTheShapeOfTheirInputAndS2SPlusHasTheOfficialParameterCount()
    {
        var plus = new Self2SelfPlusNetwork(6, 3, 0.4f, new Rng(1));
        // Gated: (6·9+1)·96 + 6·(48·9+1)·96; decoder: (96 + 4·144)·9·96 + 5·96 + 5·(96·9·96 + 96); out 96·9·3 + 3.
        Assert.Equal(5280 + 6 * 41568 + (96 + 4 * 144) * 864 + 480 + 5 * 83040 + 2595, plus.ParameterCount);
        using (Autograd.NoGrad())
        {
            var x = Tensor.FromArray(new float[6 * 32 * 64], 1, 6, 32, 64);
            Assert.Equal(new[] { 1, 3, 32, 64 }, plus.Forward(x, new Rng(2)).Shape);
            var s2s = new Self2SelfNetwork(1, 0.3f, new Rng(1));
            var m = Tensor.FromArray(Enumerable.Repeat(1f, 32 * 32).ToArray(), 1, 1, 32, 32);
            var y = s2s.Forward(m, m, new Rng(2));
            Assert.Equal(new[] { 1, 1, 32, 32 }, y.Shape);
            Assert.All(y.Data, v => Assert.InRange(v, 0f, 1f));
        }
    }

    private sealed class CountingTerm : INoReferenceQualityTerm
    {
        public int Calls;

        public Tensor Loss(Tensor output)
        {
            Calls++;
            return Ops.AddScalar(Ops.Scale(Ops.Mean(output), 1e-3f), 1000f); // ≈ 1000: it must show in the loss
        }
    }

    [Fact]
    public void TheQualityHookIsAddedToTheTrainingLossOnlyWhenSet()
    {
        var noisy = NoiseSynthesis.AddGaussian(UNetCrops.Crop32("Set12", "08.png"), 25, 1);
        var term = new CountingTerm();
        var progress = new List<TrainingProgress>();
        var reporter = new Reporter(progress);
        var off = new Denoiser(Short("self2self-plus", 2, 3)).Denoise(noisy);
        var on = new Denoiser(Short("self2self-plus", 2, 3), new Self2SelfPlusMethod { QualityTerm = term }).Denoise(noisy, reporter);
        Assert.Equal(2, term.Calls); // training steps only, not the prediction passes
        Assert.True(on.FinalLoss > off.FinalLoss + 999, $"{on.FinalLoss} vs {off.FinalLoss}");

        // Progress: 2 training steps, then 3 ensemble passes.
        Assert.Equal(new[] { (1, 2, TrainingPhase.Training), (2, 2, TrainingPhase.Training), (1, 3, TrainingPhase.Ensemble),
            (2, 3, TrainingPhase.Ensemble), (3, 3, TrainingPhase.Ensemble) }, progress.Select(p => (p.Iteration, p.TotalIterations, p.Phase)));
    }

    private sealed class Reporter(List<TrainingProgress> list) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => list.Add(value);
    }

    [Fact]
    public void OptionsAreValidatedAndIterationsDefaultPerMethod()
    {
        Assert.Equal(4000, new DenoiseOptions { Method = "self2self-plus" }.Iterations);
        Assert.Equal(3000, new DenoiseOptions { Method = "self2self" }.Iterations);
        Assert.Equal(3000, new DenoiseOptions().Iterations);
        Assert.Equal(7, new DenoiseOptions { Method = "self2self-plus", Iterations = 7 }.Iterations);
        Assert.Contains("self2self-plus", MethodRegistry.Names);
        Assert.Contains("self2self", MethodRegistry.Names);
        foreach (var bad in new[]
        {
            new Self2SelfOptions { MaskProbability = 0f }, new Self2SelfOptions { MaskProbability = 1f },
            new Self2SelfOptions { DropoutRate = 1f }, new Self2SelfOptions { DropoutRate = -0.1f }, new Self2SelfOptions { Passes = 0 },
        })
            Assert.Throws<ArgumentException>(() => new Denoiser(new DenoiseOptions { Method = "self2self", MethodOptions = bad }));
        Assert.Throws<ArgumentException>(() => new Denoiser(new DenoiseOptions { Method = "self2self", LearningRate = float.NaN }));
        // Another method's settings are refused, not ignored.
        Assert.Throws<ArgumentException>(() => new Denoiser(new DenoiseOptions { Method = "self2self", MethodOptions = new Self2SelfPlusOptions() }));
    }

    [Fact]
    public void CancellationStopsTheEnsemble()
    {
        var noisy = NoiseSynthesis.AddGaussian(UNetCrops.Crop32("Set12", "08.png"), 25, 1);
        using var cts = new CancellationTokenSource();
        var cancelOnFirstPass = new Cancel(cts);
        Assert.ThrowsAny<OperationCanceledException>(() =>
            new Denoiser(Short("self2self", 1, 1000)).Denoise(noisy, cancelOnFirstPass, cts.Token));
        Assert.Equal(1, cancelOnFirstPass.Passes);
    }

    private sealed class Cancel(CancellationTokenSource cts) : IProgress<TrainingProgress>
    {
        public int Passes;

        public void Report(TrainingProgress value)
        {
            if (value.Phase != TrainingPhase.Ensemble) return;
            Passes++;
            cts.Cancel();
        }
    }

    [Fact]
    public void TheSpeedYardstickRunsOnTheSharedBlocks()
    {
        // conv in, 5 down, bottleneck, 4 UpBlocks (96 then 144 in, 96 out, twice), 64, 32, C: wiring unchanged.
        var net = new Benchmarks.SelfToSelfUNet(3, new Rng(2));
        Assert.Equal(1344 + 5 * 20784 + 20784 + (96 + 3 * 144) * 864 + 4 * 96 + 4 * 83040 + 57088 + 18464 + 867, net.ParameterCount);
        var rng = new Rng(3);
        var y = Tensor.FromArray(Enumerable.Range(0, 3 * 32 * 32).Select(_ => rng.NextFloat()).ToArray(), 1, 3, 32, 32);
        float a = net.Step(y, new Hush.Engine.Optim.Adam(net.Parameters(), 1e-4f), new TensorArena());
        var twin = new Benchmarks.SelfToSelfUNet(3, new Rng(2));
        float b = twin.Step(y, new Hush.Engine.Optim.Adam(twin.Parameters(), 1e-4f), new TensorArena());
        Assert.True(float.IsFinite(a) && a > 0f);
        Assert.Equal(a, b);
    }
}
