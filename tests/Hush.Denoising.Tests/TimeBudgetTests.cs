using Hush.Denoising.Training;

namespace Hush.Denoising.Tests;

/// <summary>The time budget's rule on a fake clock: when it stops training, what it keeps for the prediction, how it
/// cuts passes and how shares count.</summary>
public class TimeBudgetTests
{
    private sealed class FakeClock
    {
        public TimeSpan Now;
        public void Advance(double seconds) => Now += TimeSpan.FromSeconds(seconds);
    }

    /// <summary>Steps of 1 s: how many AllowsStep lets through.</summary>
    private static int StepsWithin(TimeBudget budget, FakeClock clock)
    {
        int steps = 0;
        while (steps < 1000 && budget.AllowsStep())
        {
            steps++;
            clock.Advance(1);
        }
        return steps;
    }

    [Fact]
    public void TrainingStopsWhenTheNextStepAndTheReserveWouldPassTheDeadline()
    {
        var clock = new FakeClock();
        var budget = new TimeBudget(TimeSpan.FromSeconds(10), () => clock.Now); // reserve: one step
        Assert.Equal(9, StepsWithin(budget, clock)); // at t = 9: 9 + 1 + 1 > 10
        Assert.True(budget.StoppedTraining);
        Assert.Equal(9, budget.StepsRun);
        Assert.False(budget.CutPasses);
    }

    [Fact]
    public void ALongPredictionReservesAtMostHalfTheBudget()
    {
        var clock = new FakeClock();
        var budget = new TimeBudget(TimeSpan.FromSeconds(10), () => clock.Now) { ReserveSteps = 100 };
        Assert.Equal(5, StepsWithin(budget, clock)); // reserve 5 s, not 100: steps while t + 1 + 5 ≤ 10
    }

    [Fact]
    public void NoReserveTrainsUpToTheDeadline()
    {
        var clock = new FakeClock();
        var budget = new TimeBudget(TimeSpan.FromSeconds(10), () => clock.Now) { ReserveSteps = 0 };
        Assert.Equal(10, StepsWithin(budget, clock));
    }

    [Fact]
    public void TheFirstStepAndTheFirstPassAlwaysRun()
    {
        var clock = new FakeClock();
        var budget = new TimeBudget(TimeSpan.FromTicks(1), () => clock.Now);
        clock.Advance(5);
        Assert.True(budget.AllowsStep());
        Assert.False(budget.AllowsStep());
        Assert.True(budget.AllowsPass(0));
        Assert.False(budget.AllowsPass(1));
        Assert.True(budget.CutPasses);
        Assert.Equal(TimeSpan.Zero, budget.Remaining);
    }

    [Fact]
    public void PassesRunUntilTheDeadline()
    {
        var clock = new FakeClock();
        var budget = new TimeBudget(TimeSpan.FromSeconds(3), () => clock.Now);
        int passes = 0;
        while (passes < 100 && budget.AllowsPass(passes)) { passes++; clock.Advance(1); }
        Assert.Equal(3, passes);
    }

    [Fact]
    public void ASharePartsTheTimeLeftAndReportsToItsParent()
    {
        var clock = new FakeClock();
        var budget = new TimeBudget(TimeSpan.FromSeconds(12), () => clock.Now) { ReserveSteps = 0 };
        clock.Advance(4);
        var share = budget.Share(2); // 8 s left: 4 s each
        Assert.Equal(TimeSpan.FromSeconds(4), share.Remaining);
        Assert.Equal(4, StepsWithin(share, clock));
        Assert.Equal((4, true), (budget.StepsRun, budget.StoppedTraining));
        Assert.Equal(TimeSpan.FromSeconds(4), budget.Share(1).Remaining);
    }
}
