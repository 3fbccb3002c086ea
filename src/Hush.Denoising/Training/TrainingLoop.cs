using Hush.Engine.Diagnostics;
using System.Diagnostics;
using Hush.Engine;
using Hush.Engine.Optim;

namespace Hush.Denoising.Training;

/// <summary>The one training loop every method uses: Adam with a step learning-rate schedule over a
/// loss closure the method supplies. Methods differ only in their network and loss.</summary>
internal static class TrainingLoop
{
    /// <summary>One stage of a multi-stage method: a fresh Adam at <paramref name="learningRate"/> with its own step
    /// schedule; progress is reported as steps <paramref name="done"/>+1 … of <paramref name="total"/>.</summary>
    public static float Run(IEnumerable<Tensor> parameters, Func<Tensor> loss, int iterations, TrainingContext context,
        float learningRate, int step, float gamma, int done, int total)
    {
        var tensors = parameters.ToArray();
        var adam = new Adam(tensors, learningRate);
        var schedule = new StepLR(adam, step, gamma);
        var arena = context.Arena; // one step's activations and gradients, reused by the next step (and by inference)
        float last = float.NaN;
        // A stopped run's state, if any: the steps of this stage it had done (all of them when it stopped in a later stage).
        int start = context.Resume?.Restore(tensors, adam, schedule, done, iterations) ?? 0;
        for (int i = start + 1; i <= iterations; i++)
        {
            context.Cancel.ThrowIfCancellationRequested();
            if (context.Budget?.AllowsStep() == false) break;
            adam.ZeroGrad();
            OpProfile.Mark("(step start)");
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
            OpProfile.Mark("Adam.Step");
            context.Progress?.Report(new TrainingProgress(done + i, total, last, context.Clock.Elapsed));
            if (context.Resume?.Due(done + i, total) == true) context.Resume.Save(done + i, tensors, adam, context.Seed);
            if (context.CheckpointDue(done + i, total)) context.Checkpoint!(done + i, context.Interim!());
            if (context.EarlyStop?.AfterStep(done + i) == true) break;
        }
        context.EarlyStop?.RestoreBest();
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
    public TensorArena Arena { get; private set; } = new();

    /// <summary>Drops the training buffers and starts an empty arena, for an inference whose buffers have other sizes
    /// (tiles): otherwise both sets would be held at once. Collects them right away, so that the memory is back
    /// before the tiles allocate theirs.</summary>
    public TensorArena ReleaseTrainingBuffers()
    {
        Arena = new TensorArena();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return Arena;
    }

    /// <summary>σ of the noise in the image's [0,1] units when the run knows it, as after variance stabilization (unit
    /// variance by construction); methods that take σ use it instead of estimating. Null = unknown.</summary>
    public double? KnownSigma { get; init; }

    /// <summary>Receives (step, interim result [c][y][x]) every <see cref="DenoiseOptions.CheckpointEvery"/> steps; null = no
    /// checkpoints.</summary>
    public Action<int, float[]>? Checkpoint { get; init; }

    /// <summary>Makes the interim result from the model as it is now (set by whoever can: the Self2Self methods, or the
    /// denoiser from <see cref="Model"/>). Without it, no checkpoints are made.</summary>
    public Func<float[]>? Interim { get; set; }

    /// <summary>The stopping rule (<see cref="DenoiseOptions.EarlyStop"/>), for the method to attach to; null = off.</summary>
    public EarlyStopping? EarlyStop { get; init; }

    /// <summary>The run's time limit (<see cref="DenoiseOptions.TimeBudget"/>); null = none.</summary>
    public TimeBudget? Budget { get; init; }

    /// <summary>The resumable checkpoint (<see cref="DenoiseOptions.CheckpointFile"/>); null = none.</summary>
    public TrainingResume? Resume { get; init; }

    /// <summary>The model being trained, for trainable methods that publish it before training (interim results).</summary>
    public Methods.ITrainedModel? Model { get; set; }

    /// <summary>True after step <paramref name="step"/> of <paramref name="total"/> when a checkpoint is due.</summary>
    public bool CheckpointDue(int step, int total) =>
        Checkpoint is not null && Interim is not null && Options.CheckpointEvery > 0 && step % Options.CheckpointEvery == 0 && step < total;

    /// <summary>The noise level a method that needs one used, as it was given or estimated (e.g. "σ 24.8/255,
    /// estimated"), for the result; null for methods that take none.</summary>
    public string? NoiseUsed { get; set; }

    /// <summary>Time since the run started, across all training stages.</summary>
    public Stopwatch Clock { get; } = Stopwatch.StartNew();
}
