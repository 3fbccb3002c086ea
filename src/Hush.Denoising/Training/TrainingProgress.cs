namespace Hush.Denoising.Training;

/// <summary>Reported after every training step. <see cref="Loss"/> is that step's training loss.</summary>
public readonly record struct TrainingProgress(int Iteration, int TotalIterations, float Loss, TimeSpan Elapsed);
