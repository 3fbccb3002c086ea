using System.Diagnostics;
using System.Security.Cryptography;
using Hush.Denoising.Inference;
using Hush.Denoising.Methods;
using Hush.Denoising.Noise;
using Hush.Denoising.Training;
using Hush.Engine;
using Hush.Imaging;

namespace Hush.Denoising;

/// <summary>The library's single entry point: give it one noisy image, get it back denoised.
/// <code>
/// var result = new Denoiser(new DenoiseOptions { Iterations = 3000, Seed = 1 }).Denoise(image);
/// ImageFile.Write(result.Output, "clean.png");
/// </code>
/// Stacks (Z, T, many channels): <see cref="DenoiseStack"/>.</summary>
public sealed partial class Denoiser
{
    /// <summary>The options every call of this denoiser runs with (validated by the constructor).</summary>
    public DenoiseOptions Options { get; }

    private IDenoisingMethod Method { get; }

    /// <exception cref="ArgumentException">A setting is out of range, or belongs to another method.</exception>
    /// <exception cref="InvalidDataException">A file the settings name (weights) cannot be read or is invalid.</exception>
    public Denoiser(DenoiseOptions? options = null)
        : this(options ?? new DenoiseOptions(), method: null)
    {
    }

    /// <summary>A denoiser around a given method instance (tests set internal hooks on it).</summary>
    internal Denoiser(DenoiseOptions options, IDenoisingMethod? method)
    {
        Options = options;
        Options.Validate();
        Method = method ?? Options.Descriptor.Create();
        Method.Prepare(Options);
    }

    /// <summary>Trains a fresh network on <paramref name="noisy"/> and returns the denoised image, with the
    /// input's size, bit depth and alpha. Cancellation is checked between training steps.</summary>
    /// <remarks>The call runs in an engine context of its own (<see cref="EngineContext.Borrow"/>) with the requested
    /// thread count, so several denoises may run at once on different threads: each gets the output it would get
    /// alone.</remarks>
    public DenoiseResult Denoise(Image noisy, IProgress<TrainingProgress>? progress = null,
        CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(noisy);
        RequireFinite(noisy);
        var resume = TrainingResume.Open(Options, noisy, ThreadCount);
        var result = WithThreads((seed, threads) =>
        {
            var clock = Stopwatch.StartNew();
            var budget = TimeBudget.Start(Options.TimeBudget);
            var context = new TrainingContext(Options, seed, progress, cancel)
            {
                Budget = budget,
                EarlyStop = Options.EarlyStop ? new EarlyStopping() : null,
                Checkpoint = CheckpointSink((step, data) => new DenoiseCheckpoint(step, Options.Iterations, 0, noisy.WithData(data), null)),
                Resume = resume,
            };
            float[] data = DenoisePlane(noisy, context, out float finalLoss, out int stride, out string? noiseUsed, out var model);
            return new DenoiseResult(noisy.WithData(data), Options.Method, context.EarlyStop?.StoppedAt ?? IterationsRun(budget), seed, threads,
                clock.Elapsed.TotalSeconds, finalLoss)
            {
                StoppedByTimeBudget = budget?.CutShort == true,
                KeptIteration = context.EarlyStop?.KeptStep,
                HeldOutLoss = context.EarlyStop?.Curve.ToArray(),
                NoiseUsed = noiseUsed,
                DecorrelationStride = stride,
                Options = Options,
                Model = model,
            };
        }, resume?.Seed);
        resume?.Finish();
        return result;
    }

    /// <summary>Runs <paramref name="run"/> with the seed (given or drawn) and the thread count applied.</summary>
    /// <param name="resumedSeed">The seed of a stopped run this one resumes, when no seed is set.</param>
    private T WithThreads<T>(Func<ulong, int, T> run, ulong? resumedSeed = null)
    {
        ulong seed = Options.Seed ?? resumedSeed ?? BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
        int threads = ThreadCount;
        // A context of its own for the call, so concurrent calls neither change each other's thread split nor share
        // workers or scratch buffers; idle contexts are reused, so a later call does not start threads anew.
        using var context = EngineContext.Borrow(threads);
        return run(seed, threads);
    }

    /// <summary>The iteration count, or the steps taken when a time budget stopped training early.</summary>
    private int IterationsRun(TimeBudget? budget) => budget is { StoppedTraining: true } ? budget.StepsRun : Options.Iterations;

    private int ThreadCount => Options.Threads > 0 ? Options.Threads : Environment.ProcessorCount;

    /// <summary>One image, its own model: whole-image steps and one inference pass when they fit the memory budget,
    /// else random-patch steps and tiled inference (methods that can separate training from inference).</summary>
    /// <param name="saved">The trained network as a model, for methods with a reusable one; else null.</param>
    private float[] DenoiseAlone(Image noisy, TrainingContext context, out float finalLoss, out DenoiseModel? saved)
    {
        saved = null;
        if (Method is IEnsembleMethod ensemble && ensemble.PredictsByPasses(Options))
        {
            var trained = ensemble.Train(noisy, context, out finalLoss);
            saved = SavedModel(trained, noisy.Channels, context.Seed);
            return trained.Predict(noisy, context);
        }
        if (Method is not ITrainableMethod trainable)
            return Method.Denoise(noisy, context, out finalLoss);
        var plan = Plan(noisy, trainable);
        TensorArena? interimArena = null; // tiles: buffers of their own, kept for the next checkpoint
        context.Interim = () => TiledInference.Run(context.Model!, noisy, plan.InferenceTile,
            plan.InferenceTile == int.MaxValue ? context.Arena : interimArena ??= new TensorArena());
        var source = new TrainingSource([noisy], plan.TrainingPatch, context.Seed);
        context.Resume?.UsePlan(source.UsesPatches && !source.SameInputEveryStep ? plan.TrainingPatch : null);
        context.Resume?.Track(source.Stream);
        var model = trainable.Train(source, context, out finalLoss);
        saved = SavedModel(model, noisy.Channels, context.Seed);
        return TiledInference.Run(model, noisy, plan.InferenceTile, InferenceArena(plan, context));
    }

    /// <summary>The context's checkpoint callback: null unless <see cref="DenoiseOptions.CheckpointEvery"/> and
    /// <see cref="DenoiseOptions.OnCheckpoint"/> are both set.</summary>
    private Action<int, float[]>? CheckpointSink(Func<int, float[], DenoiseCheckpoint> make)
    {
        var sink = Options.OnCheckpoint;
        if (Options.CheckpointEvery <= 0 || sink is null) return null;
        return (step, data) => sink(make(step, data));
    }

    /// <summary>A whole-image pass reuses the training buffers (same sizes); tiles get a fresh arena instead.</summary>
    private static TensorArena InferenceArena(MemoryPlan plan, TrainingContext context) =>
        plan.InferenceTile == int.MaxValue ? context.Arena : context.ReleaseTrainingBuffers();

    private MemoryPlan Plan(Image image, ITrainableMethod method) => Plan(image, method.ReceptiveRadius);

    private MemoryPlan Plan(Image image, int radius) =>
        MemoryPlan.For(image.Width, image.Height, image.Channels,
            Options.MemoryBudget > 0 ? Options.MemoryBudget : MemoryPlan.DefaultBudget(), Options.PatchSize, radius);

    /// <summary>A copy of the trained weights as a <see cref="DenoiseModel"/>, for methods whose network is reusable.</summary>
    private DenoiseModel? SavedModel(ITrainedModel model, int channels, ulong seed) =>
        Options.Descriptor.Can(MethodCapabilities.ReusableModel) ? DenoiseModel.Of(Options, seed, channels, model.Parameters) : null;

    private static void RequireFinite(Image image)
    {
        foreach (float v in image.Data)
            if (!float.IsFinite(v))
                throw new ArgumentException("the input image contains NaN or infinite values");
    }
}
