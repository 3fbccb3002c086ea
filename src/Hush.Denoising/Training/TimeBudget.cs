using System.Diagnostics;

namespace Hush.Denoising.Training;

/// <summary>
/// A wall-clock limit on one run's training and prediction (<see cref="DenoiseOptions.TimeBudget"/>). Training loops
/// ask <see cref="AllowsStep"/> before every step; it says no once the next step, at the mean step time so far, and
/// the prediction still to come would pass the deadline. The prediction's share is what the method reserves
/// (<see cref="ReserveSteps"/>, in training steps) but never more than half the budget, so that a method with a long
/// ensemble still trains for half its time; ensembles then stop their passes at the deadline (<see cref="AllowsPass"/>).
/// The output is the model as training left it: every method's latest weights (or running average) are its best
/// estimate so far.
/// </summary>
internal sealed class TimeBudget
{
    private readonly Func<TimeSpan> _now;
    private readonly TimeSpan _start, _deadline;
    private readonly TimeBudget? _parent;
    private TimeSpan _firstStep;
    private int _taken; // steps allowed so far: when AllowsStep is called again, all of them are finished

    /// <param name="limit">The time from now that training and prediction may take.</param>
    /// <param name="now">The clock (tests pass a fake one).</param>
    public TimeBudget(TimeSpan limit, Func<TimeSpan> now) : this(limit, now, null)
    {
    }

    private TimeBudget(TimeSpan limit, Func<TimeSpan> now, TimeBudget? parent)
    {
        _now = now;
        _parent = parent;
        _start = now();
        _deadline = _start + (limit > TimeSpan.Zero ? limit : TimeSpan.Zero);
    }

    /// <summary>A budget on the real clock, or null without a limit.</summary>
    public static TimeBudget? Start(TimeSpan? limit)
    {
        if (limit is not TimeSpan l) return null;
        var clock = Stopwatch.StartNew();
        return new TimeBudget(l, () => clock.Elapsed);
    }

    /// <summary>Work after training, in training steps (one whole-image forward pass is about one step's worth;
    /// ensemble methods set their passes' share). Default 1.</summary>
    public double ReserveSteps { get; set; } = 1;

    /// <summary>Training steps taken under this budget and the budgets shared out of it.</summary>
    public int StepsRun { get; private set; }

    /// <summary>True once training (here or in a shared-out budget) was stopped before its iteration count.</summary>
    public bool StoppedTraining { get; private set; }

    /// <summary>True once an ensemble (here or in a shared-out budget) averaged fewer passes than it was set to.</summary>
    public bool CutPasses { get; private set; }

    /// <summary>True once the budget cut training or an ensemble short.</summary>
    public bool CutShort => StoppedTraining || CutPasses;

    /// <summary>Time left until the deadline (zero once past it).</summary>
    public TimeSpan Remaining => _deadline - _now() is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero;

    /// <summary>Before each training step: true to take it. The first step is always taken (a run returns a trained
    /// model, however short its budget); after that, no once now + one mean step + the reserve would pass the
    /// deadline.</summary>
    public bool AllowsStep()
    {
        var now = _now();
        if (_taken == 0) _firstStep = now;
        else
        {
            double mean = (now - _firstStep).Ticks / (double)_taken;
            double reserve = Math.Min(ReserveSteps * mean, (_deadline - _start).Ticks / 2.0);
            if (now.Ticks + mean + reserve > _deadline.Ticks)
            {
                MarkStopped(training: true);
                return false;
            }
        }
        _taken++;
        for (var b = this; b is not null; b = b._parent) b.StepsRun++;
        return true;
    }

    /// <summary>Before ensemble pass <paramref name="done"/> + 1: true to run it. One pass always runs.</summary>
    public bool AllowsPass(int done)
    {
        if (done == 0 || _now() < _deadline) return true;
        MarkStopped(training: false);
        return false;
    }

    /// <summary>A budget for one of <paramref name="parts"/> runs still to come (planes of a stack, sub-images): an
    /// equal share of the time left. What it counts is counted here too.</summary>
    public TimeBudget Share(int parts) => new(Remaining / Math.Max(1, parts), _now, this) { ReserveSteps = ReserveSteps };

    private void MarkStopped(bool training)
    {
        for (var b = this; b is not null; b = b._parent)
        {
            if (training) b.StoppedTraining = true;
            else b.CutPasses = true;
        }
    }
}
