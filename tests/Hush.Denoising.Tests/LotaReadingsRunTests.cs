using Hush.Denoising.Noise;
using Hush.Imaging;
using Hush.Testing;

namespace Hush.Denoising.Tests;

/// <summary>LoTA-N2N's readings in whole runs on a small crop: each non-default setting changes the output and repeats
/// bit for bit, and the proxy refresh happens where its definition says (before stage-2 steps K, 2K, …).</summary>
public class LotaReadingsRunTests
{
    private static readonly Image Noisy = NoiseSynthesis.AddGaussian(
        ImageFile.Read(SharedData.PathOf("data", "Kodak24", "kodim03.png")).Crop(96, 96, 28, 24), 25, seed: 3);

    private static readonly DenoiseOptions Base = new()
    {
        Method = "lota-n2n", Iterations = 24, Seed = 6, Threads = 2,
        MethodOptions = new LotaN2NOptions { FineTuneIterations = 12, FineTuneLearningRate = 1e-3f, TraceWeight = 100f },
    };

    private static DenoiseOptions With(Func<LotaN2NOptions, LotaN2NOptions> change) =>
        Base with { MethodOptions = change(Base.OptionsOf<LotaN2NOptions>()) };

    private static float[] Run(DenoiseOptions options) => new Denoiser(options).Denoise(Noisy).Output.Data;

    // The patch run: a budget a whole-image step does not fit, so steps see 16×16 patches and a frozen copy of the model.
    private static DenoiseOptions OnPatches(DenoiseOptions options) =>
        options with { MemoryBudget = 28 * 24 * Training.MemoryPlan.TrainingBytesPerPixel / 2, PatchSize = 16 };

    public static TheoryData<string, string> Readings => new()
    {
        { "proxy-refresh", "3" },
        { "trace-branch", "residual" },
        { "trace-pairing", "cross" },
        { "lambda-schedule", "ramp" },
    };

    [Theory]
    [MemberData(nameof(Readings))]
    public void EachReadingChangesTheOutputAndRepeatsBitForBit(string name, string value)
    {
        var parameter = MethodRegistry.Find("lota-n2n").Parameters.Single(p => p.Name == name);
        var options = parameter.Apply(Base, value);
        float[] a = Run(options);
        Assert.Equal(a, Run(options));
        Assert.NotEqual(Run(Base), a);
    }

    [Fact]
    public void OnPatchesTheRefreshRecopiesTheFrozenModel()
    {
        var refreshed = OnPatches(With(o => o with { ProxyRefresh = 3 }));
        float[] a = Run(refreshed);
        Assert.Equal(a, Run(refreshed));
        Assert.NotEqual(Run(OnPatches(Base)), a);
        Assert.NotEqual(Run(refreshed with { MemoryBudget = 1L << 30 }), a); // patches were used
    }

    [Fact]
    public void TheFirstRefreshComesBeforeStageTwoStepK()
    {
        // K = N2: the first refresh would come before step N2, which does not exist, so nothing changes; K = N2 − 1
        // refreshes once, before the last step.
        float[] frozen = Run(Base);
        Assert.Equal(frozen, Run(With(o => o with { ProxyRefresh = 12 })));
        Assert.NotEqual(frozen, Run(With(o => o with { ProxyRefresh = 11 })));
        Assert.Equal(Run(OnPatches(Base)), Run(OnPatches(With(o => o with { ProxyRefresh = 12 }))));
    }

    [Fact]
    public void RefreshingEveryStepIsTheRunWithoutTheTraceTerm()
    {
        // K = 1: the proxies are the model's own outputs at every step, so f(y1) − x̂1 = 0, every T is 0 and (sign(0) = 0)
        // so is its gradient: the per-step stop-gradient reading is stage 2 with λ = 0, bit for bit.
        Assert.Equal(Run(With(o => o with { TraceWeight = 0 })), Run(With(o => o with { ProxyRefresh = 1 })));
        Assert.Equal(Run(OnPatches(With(o => o with { TraceWeight = 0 }))), Run(OnPatches(With(o => o with { ProxyRefresh = 1 }))));
    }

    [Fact]
    public void ARampOverOneStepIsTheConstantWeight()
    {
        var one = With(o => o with { FineTuneIterations = 1 });
        Assert.Equal(Run(one), Run(one with { MethodOptions = one.OptionsOf<LotaN2NOptions>() with { LambdaSchedule = LotaLambdaSchedule.Ramp } }));
    }

    [Fact]
    public void ANegativeRefreshIsRejected() =>
        Assert.Throws<ArgumentException>(() => new Denoiser(With(o => o with { ProxyRefresh = -1 })));
}
