using Hush.Denoising.Methods.ZsN2N;
using Hush.Denoising.Tests.Contract;
using Hush.Denoising.Training;
using Hush.Engine;

namespace Hush.Denoising.Tests;

/// <summary>The stopping rule: when it stops on a given loss sequence, which weights it keeps, ZS-N2N's held-out pairs,
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
    public void TheHeldOutPairsAreTheRowMeansOfEach2x2Block()
    {
        // One channel, 2×4: blocks [1 2; 5 6] and [3 4; 7 8].
        var y = Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f], 1, 1, 2, 4);
        var (pairs, targets) = ZsN2NMethod.HeldOutPairs(y);
        Assert.Equal([2, 1, 1, 2], pairs.Shape);
        Assert.Equal([1.5f, 3.5f, 5.5f, 7.5f], pairs.Data);
        Assert.Equal([5.5f, 7.5f, 1.5f, 3.5f], targets);
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
        var plain = new Denoiser(options with { EarlyStop = false, Iterations = kept }).Denoise(ContractRuns.Noisy);
        Assert.Equal(plain.Output.Data, stopped.Output.Data);
    }

    [Fact]
    public void MethodsWithoutARuleRefuseIt() =>
        Assert.Contains("has no stopping rule; methods with one: zs-n2n",
            Assert.Throws<ArgumentException>(() => new Denoiser(new DenoiseOptions { Method = "self2self", EarlyStop = true })).Message);
}
