using Hush.Denoising.Methods.ZsN2N;
using Hush.Denoising.Tests.Contract;
using Hush.Denoising.Training;
using Hush.Engine;

namespace Hush.Denoising.Tests;

/// <summary>The stopping rule: when it stops on a given loss sequence, which weights it keeps, ZS-N2N's held-out blocks,
/// and a whole run that ends with exactly the weights of a shorter run.</summary>
public class EarlyStoppingTests
{
    /// <summary>Feeds <paramref name="losses"/> at steps Every, 2·Every, …; the weight's value records the step.</summary>
    private static (EarlyStopping Rule, Tensor Weight, int Steps) Run(params float[] losses)
    {
        var weight = Tensor.FromArray([0f], 1);
        var rule = new EarlyStopping();
        int k = 0;
        rule.Attach([weight], () => losses[k++]);
        int step = 0;
        while (k < losses.Length)
        {
            step++;
            weight.Data[0] = step;
            if (rule.AfterStep(step)) break;
        }
        return (rule, weight, step);
    }

    [Fact]
    public void ALossThatKeepsFallingNeverStops()
    {
        var (rule, _, steps) = Run([.. Enumerable.Range(0, 30).Select(i => 1f - 0.01f * i)]);
        Assert.Null(rule.StoppedAt);
        Assert.Equal(30 * EarlyStopping.Every, steps);
        Assert.Equal(30, rule.Curve.Count);
    }

    [Fact]
    public void ItStopsAfterPatienceMeasurementsWithoutAGainAndKeepsTheBest()
    {
        // Falls to 0.5 at the 3rd measurement, then wobbles above it: stops at the 3 + Patience-th.
        float[] losses = [1f, 0.8f, 0.5f, .. Enumerable.Repeat(0.6f, 20)];
        losses[5] = 0.49999f; // a lower loss, but not a real gain: kept, yet the patience runs on
        var (rule, weight, _) = Run(losses);
        Assert.Equal((3 + EarlyStopping.Patience) * EarlyStopping.Every, rule.StoppedAt);
        Assert.Equal(6 * EarlyStopping.Every, rule.KeptStep);
        rule.RestoreBest();
        Assert.Equal(6 * EarlyStopping.Every, weight.Data[0]);
    }

    [Fact]
    public void WithoutAnAttachedMethodItIsInert()
    {
        var rule = new EarlyStopping();
        for (int step = 1; step <= 5000; step++) Assert.False(rule.AfterStep(step));
        Assert.Empty(rule.Curve);
        rule.RestoreBest();
    }

    [Fact]
    public void HeldOutBlocksAreLeftOutOfTheResidualTargetsAndScoredByTheirNoise2NoiseLoss()
    {
        const int channels = 2, side = 20; // 10×10 blocks per channel
        var blocks = new HeldOutBlocks(channels, side, side, new Rng(9));
        float[] keep = blocks.Keep.Data;
        Assert.Equal([2, channels, side / 2, side / 2], blocks.Keep.Shape);
        int half = keep.Length / 2, plane = half / channels, held = 0;
        for (int i = 0; i < half; i++)
        {
            Assert.Equal(keep[i], keep[half + i]);              // the same blocks in both sub-images
            Assert.Equal(keep[i % plane], keep[i]);             // and in every channel
            if (keep[i] == 0f) held++;
        }
        Assert.InRange(held / (double)half, 0.02, 0.25);        // about a tenth
        Assert.Equal(half / (float)(half - held), blocks.Scale);

        // An identity denoiser (all weights zero: f(z) = z) scores (y1 − y2)² on the held-out blocks.
        var net = new ZsN2NNetwork(channels, new Rng(1));
        foreach (var p in net.Parameters()) Array.Clear(p.Data);
        var rng = new Rng(2);
        var y = Tensor.FromArray([.. Enumerable.Range(0, channels * side * side).Select(_ => rng.NextFloat())], 1, channels, side, side);
        var pairs = Ops.DiagonalPairs(y).Data;
        double expected = 0;
        for (int i = 0; i < half; i++)
            if (keep[i] == 0f) expected += (pairs[i] - pairs[half + i]) * (double)(pairs[i] - pairs[half + i]);
        Assert.Equal(expected / held, blocks.Loss(net, y, new TensorArena()), 5);
    }

    [Fact]
    public void ZsN2NEndsWithTheWeightsOfTheRunAsLongAsTheKeptStep()
    {
        var options = new DenoiseOptions { Method = "zs-n2n", Seed = 4, Threads = 1, Iterations = 4000, EarlyStop = true };
        var stopped = new Denoiser(options).Denoise(ContractRuns.Noisy);
        Assert.NotNull(stopped.KeptIteration);
        int kept = stopped.KeptIteration!.Value;
        Assert.True(stopped.Iterations < 4000, $"the rule did not stop ({stopped.Iterations} steps)");
        Assert.Equal(0, kept % EarlyStopping.Every);
        Assert.InRange(stopped.Iterations - kept, 0, EarlyStopping.Patience * EarlyStopping.Every);
        Assert.Equal(stopped.Iterations / EarlyStopping.Every, stopped.HeldOutLoss!.Count);
        // The same run told to stop at the kept step (it trains on the same blocks, measures the same losses and keeps
        // its last weights, the best so far) ends with the same bits.
        var shorter = new Denoiser(options with { Iterations = kept }).Denoise(ContractRuns.Noisy);
        Assert.Equal(kept, shorter.KeptIteration);
        Assert.Equal(shorter.Output.Data, stopped.Output.Data);
        // Without the rule every block is a target: another run.
        Assert.NotEqual(new Denoiser(options with { EarlyStop = false, Iterations = kept }).Denoise(ContractRuns.Noisy).Output.Data, stopped.Output.Data);
    }

    [Fact]
    public void MethodsWithoutARuleRefuseIt() =>
        Assert.Contains("has no stopping rule; methods with one: zs-n2n, self2self-plus, blind2grad",
            Assert.Throws<ArgumentException>(() => new Denoiser(new DenoiseOptions { Method = "self2self", EarlyStop = true })).Message);
}
