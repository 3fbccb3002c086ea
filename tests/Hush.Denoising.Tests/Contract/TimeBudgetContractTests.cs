namespace Hush.Denoising.Tests.Contract;

/// <summary>A time budget over the registry: a budget too short for a second step leaves every trained method with
/// exactly one step (and ensembles with one pass), reported as such, and the output is the one-step run's, bit for bit.</summary>
public class TimeBudgetContractTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    [Theory]
    [MemberData(nameof(ContractRuns.Methods), MemberType = typeof(ContractRuns))]
    public void ABudgetTooShortForASecondStepGivesTheOneStepRun(string method)
    {
        var options = ContractRuns.Probe(method);
        var budgeted = new Denoiser(options with { TimeBudget = Tick }).Denoise(ContractRuns.Noisy);
        if (ContractRuns.IsClassical(method))
        {
            Assert.False(budgeted.StoppedByTimeBudget); // nothing to cut: no steps, no passes
            Assert.Equal(ContractRuns.Run(options), budgeted.Output.Data);
            return;
        }
        Assert.True(budgeted.StoppedByTimeBudget);
        Assert.Equal(1, budgeted.Iterations);

        // The same run told to take one step: one pass for ensembles, no second stage for LoTA (its second stage gets
        // no step under the budget either).
        var oneStep = options with { Iterations = 1 };
        var one = new Dictionary<string, string> { ["passes"] = "1", ["fine-tune"] = "0" }
            .Where(s => MethodRegistry.Find(method).Parameters.Any(p => p.Name == s.Key)).ToDictionary();
        oneStep = MethodRegistry.WithSettings(oneStep, one);
        Assert.Equal(ContractRuns.Run(oneStep), budgeted.Output.Data);
    }

    [Fact]
    public void WithoutABudgetNothingIsCut()
    {
        var r = new Denoiser(ContractRuns.Probe("zs-n2n")).Denoise(ContractRuns.Noisy);
        Assert.False(r.StoppedByTimeBudget);
        Assert.Equal(ContractRuns.Probe("zs-n2n").Iterations, r.Iterations);
    }

    [Fact]
    public void AStackSharesTheBudgetAndCountsTheStepsOfEveryPlane()
    {
        var plane = ContractRuns.Noisy;
        var data = new float[2 * plane.Data.Length];
        plane.Data.CopyTo(data, 0);
        plane.Data.CopyTo(data, plane.Data.Length);
        var stack = new Imaging.ImageStack("ZCYX", [2, 3, plane.Height, plane.Width], Imaging.SampleType.Float32, data);
        var r = new Denoiser(ContractRuns.Probe("zs-n2n") with { TimeBudget = Tick }).DenoiseStack(stack);
        Assert.True(r.StoppedByTimeBudget);
        Assert.Equal(2, r.Iterations); // one step per plane
    }
}
