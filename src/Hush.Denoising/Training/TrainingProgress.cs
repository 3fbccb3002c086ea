namespace Hush.Denoising.Training;

/// <summary>Reported after every training step (<see cref="Phase"/> Training: <see cref="Loss"/> is that step's
/// training loss) and, for methods that predict by averaging stochastic passes, after every pass (Phase Ensemble:
/// Iteration/TotalIterations count passes, Loss is NaN).</summary>
public readonly record struct TrainingProgress(int Iteration, int TotalIterations, float Loss, TimeSpan Elapsed,
    TrainingPhase Phase = TrainingPhase.Training);

/// <summary>What a <see cref="TrainingProgress"/> counts.</summary>
public enum TrainingPhase
{
    /// <summary>Gradient steps.</summary>
    Training,

    /// <summary>Stochastic prediction passes being averaged.</summary>
    Ensemble,
}
