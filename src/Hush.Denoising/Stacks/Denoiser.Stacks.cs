using System.Diagnostics;
using Hush.Denoising.Inference;
using Hush.Denoising.Methods;
using Hush.Denoising.Training;
using Hush.Imaging;

namespace Hush.Denoising;

public sealed partial class Denoiser
{
    /// <summary>Denoises every plane of a stack (each Z/T position; channels together when there are at most 4, one
    /// by one otherwise) and returns a stack with the input's axes, shape and sample type. Normalisation rules:
    /// <see cref="StackPlanes"/>. By default each plane trains its own model; with <see cref="DenoiseOptions.TrainPlanes"/>
    /// K ≥ 1 one model trains on K evenly spaced planes, a step on each in turn, and denoises them all.</summary>
    /// <param name="overwriteInput">Let the output take over <paramref name="noisy"/>'s sample array (saves a copy of a
    /// huge image; <paramref name="noisy"/> must not be used afterwards).</param>
    /// <exception cref="ImageFormatException">A plane holds NaN or infinite values.</exception>
    public StackDenoiseResult DenoiseStack(ImageStack noisy, IProgress<TrainingProgress>? progress = null,
        CancellationToken cancel = default, bool overwriteInput = false)
    {
        ArgumentNullException.ThrowIfNull(noisy);
        var planes = new StackPlanes(noisy, overwriteInput);
        if (Options.CheckpointFile is not null && planes.Count != 1)
            throw new ArgumentException($"a checkpoint file resumes single images; this stack has {planes.Count} planes");
        var resume = Options.CheckpointFile is null ? null : TrainingResume.Open(Options, planes.Read(0), ThreadCount);
        var result = WithThreads((seed, threads) =>
        {
            var clock = Stopwatch.StartNew();
            var budget = TimeBudget.Start(Options.TimeBudget);
            int models = Options.TrainPlanes > 0 ? 1 : planes.Count;
            string? noise = null;
            int stride = 1;
            DenoiseModel? model;
            EarlyStopping? rule = null; // the stopping rule of the one model, when there is one
            var shared = Options.TrainPlanes > 0 ? NewContext(seed, progress, 0, models, cancel) with { Budget = budget } : null;
            float finalLoss = shared is not null
                ? DenoiseShared(planes, (ITrainableMethod)Method, shared, out model)
                : DenoiseEach(planes, seed, progress, cancel, resume, budget, out noise, out model, out stride, out rule);
            rule = shared?.EarlyStop ?? rule;
            return new StackDenoiseResult(planes.ToStack(), Options.Method, rule?.StoppedAt ?? IterationsRun(budget), seed, threads,
                clock.Elapsed.TotalSeconds, finalLoss, planes.Count, models, planes.Channels)
            {
                NoiseUsed = noise, Options = Options, Model = model, DecorrelationStride = stride,
                StoppedByTimeBudget = budget?.CutShort == true,
                KeptIteration = rule?.KeptStep,
                HeldOutLoss = rule?.Curve.ToArray(),
            };
        }, resume?.Seed);
        resume?.Finish();
        return result;
    }

    /// <summary>The planes the shared model trains on: <paramref name="k"/> evenly spaced, first and last included.</summary>
    internal static int[] TrainingPlanes(int count, int k)
    {
        k = Math.Min(k, count);
        return k == 1 ? [count / 2] : [.. Enumerable.Range(0, k).Select(i => (int)Math.Round(i * (count - 1) / (double)(k - 1), MidpointRounding.AwayFromZero))];
    }

    // noise: what the last plane's method reports it used (each plane estimates its own).
    // model: the plane's model when there is one plane (several planes train several models: none is the run's).
    private float DenoiseEach(StackPlanes planes, ulong seed, IProgress<TrainingProgress>? progress, CancellationToken cancel,
        TrainingResume? resume, TimeBudget? budget, out string? noise, out DenoiseModel? model, out int stride, out EarlyStopping? rule)
    {
        rule = null;
        stride = 1;
        float finalLoss = float.NaN;
        noise = null;
        model = null;
        for (int p = 0; p < planes.Count; p++)
        {
            var plane = planes.Read(p);
            int index = p;
            var context = NewContext(seed, progress, p, planes.Count, cancel) with
            {
                Checkpoint = CheckpointSink((step, data) =>
                {
                    var interim = plane.WithData(data);
                    planes.Write(index, interim); // overwritten by the final result
                    return new DenoiseCheckpoint(step, Options.Iterations, index, interim, planes.ToStack());
                }),
                Resume = resume,
                Budget = budget?.Share(planes.Count - p),
            };
            planes.Write(p, plane.WithData(DenoisePlane(plane, context, out finalLoss, out stride, out string? used, out var planeModel)));
            if (planes.Count == 1) (model, rule) = (planeModel, context.EarlyStop);
            noise = used is null ? null : planes.Count == 1 ? used : $"{used} (last plane)";
        }
        return finalLoss;
    }

    private float DenoiseShared(StackPlanes planes, ITrainableMethod method, TrainingContext context, out DenoiseModel? saved)
    {
        var training = TrainingPlanes(planes.Count, Options.TrainPlanes).Select(planes.Read).ToArray();
        var plan = Plan(training[0], method);
        var model = method.Train(new TrainingSource(training, plan.TrainingPatch, context.Seed), context, out float finalLoss);
        saved = SavedModel(model, planes.Channels, context.Seed);
        var arena = InferenceArena(plan, context);
        for (int p = 0; p < planes.Count; p++)
        {
            context.Cancel.ThrowIfCancellationRequested();
            var plane = planes.Read(p);
            planes.Write(p, plane.WithData(TiledInference.Run(model, plane, plan.InferenceTile, arena)));
        }
        return finalLoss;
    }

    /// <summary>A context for model <paramref name="index"/> of <paramref name="models"/>, whose progress counts
    /// over all models' units (steps, passes, or a classical method's own units).</summary>
    private TrainingContext NewContext(ulong seed, IProgress<TrainingProgress>? progress, int index, int models,
        CancellationToken cancel) =>
        new(Options, seed, progress is null ? null : new StackProgress(progress, index, models), cancel)
        {
            EarlyStop = Options.EarlyStop ? new EarlyStopping() : null,
        };

    private sealed class StackProgress(IProgress<TrainingProgress> inner, int index, int models) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress p) =>
            inner.Report(p with { Iteration = index * p.TotalIterations + p.Iteration, TotalIterations = models * p.TotalIterations });
    }
}

/// <summary>What a stack run produced: the output stack, how many planes it denoised, how many models it trained,
/// and the colour channels denoised together per plane.</summary>
public sealed record StackDenoiseResult(
    ImageStack Output,
    string Method,
    int Iterations,
    ulong Seed,
    int Threads,
    double Seconds,
    float FinalLoss,
    int Planes,
    int Models,
    int Channels)
{
    /// <summary>The noise level the method used, given or estimated (methods that need one); else null.</summary>
    public string? NoiseUsed { get; init; }

    /// <summary>The pixel-shuffle stride the planes were denoised at (<see cref="DenoiseOptions.DecorrelationStride"/>;
    /// the last plane's when each plane measured its own); 1 when they were denoised whole.</summary>
    public int DecorrelationStride { get; init; } = 1;

    /// <summary>The settings of the run (for <see cref="Denoiser.ApplyStack"/>, the model's).</summary>
    public DenoiseOptions? Options { get; init; }

    /// <summary>The trained network (methods with <see cref="MethodCapabilities.ReusableModel"/>) when the run trained
    /// one model: a shared model (<see cref="DenoiseOptions.TrainPlanes"/>) or a stack of one plane; else null.</summary>
    public DenoiseModel? Model { get; init; }

    /// <summary>True when <see cref="DenoiseOptions.TimeBudget"/> cut training or an ensemble short; then
    /// <see cref="Iterations"/> is the steps taken, summed over the models trained.</summary>
    public bool StoppedByTimeBudget { get; init; }

    /// <summary>With <see cref="DenoiseOptions.EarlyStop"/> and one model: the step whose weights it ended with
    /// (<see cref="Iterations"/> is then the steps taken); else null.</summary>
    public int? KeptIteration { get; init; }

    /// <summary>With <see cref="DenoiseOptions.EarlyStop"/> and one model: the held-out loss at every measurement.</summary>
    public IReadOnlyList<(int Step, float Loss)>? HeldOutLoss { get; init; }
}
