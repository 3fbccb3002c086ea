using System.Diagnostics;
using Hush.Engine;
using Hush.Engine.Optim;

namespace Hush.Denoising.Training;

/// <summary>The one training loop every method uses: Adam with a step learning-rate schedule over a
/// loss closure the method supplies. Methods differ only in their network and loss.</summary>
internal static class TrainingLoop
{
    /// <summary>Runs <paramref name="iterations"/> steps and returns the last step's loss.</summary>
    public static float Run(IEnumerable<Tensor> parameters, Func<Tensor> loss, int iterations, TrainingContext context)
    {
        var options = context.Options;
        var adam = new Adam(parameters, options.LearningRate);
        var schedule = new StepLR(adam, options.LearningRateStep, options.LearningRateGamma);
        var clock = Stopwatch.StartNew();
        var arena = context.Arena; // one step's activations and gradients, reused by the next step (and by inference)
        float last = float.NaN;
        for (int i = 1; i <= iterations; i++)
        {
            context.Cancel.ThrowIfCancellationRequested();
            adam.ZeroGrad();
            using (arena.Activate())
            {
                var l = loss();
                last = l.Item();
                if (!float.IsFinite(last))
                    throw new InvalidOperationException($"training diverged at iteration {i} (loss {last})");
                l.Backward();
            }
            arena.Reset();
            adam.Step();
            schedule.Step();
            context.Progress?.Report(new TrainingProgress(i, iterations, last, clock.Elapsed));
        }
        return last;
    }
}

/// <summary>What a method needs from the run besides the image.</summary>
internal sealed record TrainingContext(
    DenoiseOptions Options,
    ulong Seed,
    IProgress<TrainingProgress>? Progress,
    CancellationToken Cancel)
{
    /// <summary>Buffers of the training steps. Methods run their final inference in it too (then copy the result
    /// out), so the prediction reuses the training buffers instead of adding a second set on top of them.</summary>
    public TensorArena Arena { get; } = new();
}
