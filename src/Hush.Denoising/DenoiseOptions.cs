using Hush.Denoising.Methods;

namespace Hush.Denoising;

/// <summary>Immutable settings for one denoising run: the method, what every method shares (iterations, learning rate,
/// seed, threads, memory, stacks, checkpoints) and the method's own settings (<see cref="MethodOptions"/>, a record
/// from the method's folder, e.g. <see cref="Methods.Blind2Grad.Blind2GradOptions"/>). Unset values take the
/// method's defaults from its <see cref="MethodDescriptor"/>.
/// <code>
/// new DenoiseOptions { Method = "blind2grad", MethodOptions = new Blind2GradOptions { Omega = 0.5f }, Seed = 1 }
/// </code></summary>
public sealed record DenoiseOptions
{
    /// <summary>Method name, one of <see cref="MethodRegistry.Names"/> (default zs-n2n). There is no "auto" here: the
    /// CLI's default, auto, is <c>ChoiceTable.Recommend(NoiseLevelReport.Estimate(image)).ApplyTo(options)</c>
    /// (<see cref="Auto.ChoiceTable"/>).</summary>
    public string Method { get; init; } = "zs-n2n";

    /// <summary>The method's descriptor.</summary>
    /// <exception cref="ArgumentException">No method has the name <see cref="Method"/>.</exception>
    public MethodDescriptor Descriptor => MethodRegistry.Find(Method);

    /// <summary>Training iterations (gradient steps) on the one input image. Unset, it is the method's
    /// <see cref="MethodDescriptor.DefaultIterations"/>, or the count of the method settings' preset
    /// (<see cref="Methods.MethodOptions.PresetIterations"/>).</summary>
    public int Iterations
    {
        get => _iterations ?? MethodOptions?.PresetIterations ?? Descriptor.DefaultIterations;
        init => _iterations = value;
    }

    private readonly int? _iterations;

    /// <summary>The iteration count as set, null when it follows the method (lets <see cref="ForMethod"/> reset it).</summary>
    private int? IterationsAsSet { get => _iterations; init => _iterations = value; }

    /// <summary>These options for <paramref name="method"/> with its own defaults: the method's settings, iteration
    /// count and learning rate are reset (they belonged to the previous method); everything else is kept.</summary>
    internal DenoiseOptions ForMethod(string method) =>
        this with { Method = method, MethodOptions = null, IterationsAsSet = null, LearningRate = null };

    /// <summary>The method's Adam learning rate at the first step; null = the method's
    /// <see cref="MethodDescriptor.DefaultLearningRate"/>. Every trained method uses it: zs-n2n (halved every
    /// lr-step steps), lota-n2n (stage 1; stage 2 has its own fine-tune-lr), self2self, self2self-plus, blind2grad,
    /// noise2self, noise2fast and dip (constant). Classical methods (bm3d) have none and refuse it
    /// (<see cref="ArgumentException"/>).</summary>
    public float? LearningRate { get; init; }

    /// <summary>The Adam learning rate the method uses at its first step: <see cref="LearningRate"/>, else the method
    /// settings' preset rate (<see cref="Methods.MethodOptions.PresetLearningRate"/>), else the method's default.</summary>
    public float EffectiveLearningRate => LearningRate ?? MethodOptions?.PresetLearningRate ?? Descriptor.DefaultLearningRate;

    /// <summary>The method's own settings; null = its <see cref="MethodDescriptor.DefaultOptions"/>. Must be the
    /// method's options type.</summary>
    public MethodOptions? MethodOptions { get; init; }

    /// <summary>The method's settings in effect: <see cref="MethodOptions"/> or the method's defaults.</summary>
    /// <exception cref="ArgumentException">They are another method's options.</exception>
    public T OptionsOf<T>() where T : MethodOptions =>
        (MethodOptions ?? Descriptor.DefaultOptions) as T
        ?? throw new ArgumentException($"method {Method} takes {Descriptor.DefaultOptions.GetType().Name}, not {typeof(T).Name}");

    /// <summary>Seed for weight initialisation and any sampling. Null draws one from the OS; the seed
    /// actually used is always reported in <see cref="DenoiseResult.Seed"/> so a run can be repeated.</summary>
    public ulong? Seed { get; init; }

    /// <summary>Worker threads; 0 means one per logical core. Output is bit-identical for the same seed
    /// and thread count.</summary>
    public int Threads { get; init; }

    /// <summary>Approximate bytes the run may use; 0 means half the memory the runtime reports available. Images whose
    /// whole-image training step would not fit train on random patches (<see cref="PatchSize"/>) and are denoised
    /// tile by tile (methods with <see cref="MethodCapabilities.PatchesAndTiles"/>).</summary>
    public long MemoryBudget { get; init; }

    /// <summary>Side of the random training patches used when a whole-image step does not fit the budget.</summary>
    public int PatchSize { get; init; } = 512;

    /// <summary>Spatially correlated noise (camera sRGB): denoise the s² pixel-shuffled sub-images of a single image, whose
    /// neighbouring pixels are s apart in the image, and put them back together (see
    /// <see cref="Decorrelation.PixelShuffle"/>). 1 (the default) denoises the image whole; s ≥ 2 uses stride s; 0 picks
    /// the stride from the noise report (<see cref="Noise.NoiseLevelReport.DecorrelatingStride"/>): 1 unless the noise
    /// is measured to be correlated. Single images only; ignored when a side would drop below 32 pixels.</summary>
    public int DecorrelationStride { get; init; } = 1;

    /// <summary>Signal-dependent noise (micrographs, low light): denoise the image after the generalized Anscombe transform
    /// with the estimated Poisson–Gaussian model, which gives its noise the same variance everywhere, and map the result
    /// back by the exact unbiased inverse. Off by default; <see cref="Denoising.VarianceStabilization.Auto"/> applies it when the
    /// noise is measured to be Poisson–Gaussian. Single images only.</summary>
    public VarianceStabilization VarianceStabilization { get; init; } = VarianceStabilization.Off;

    /// <summary>Stacks: 0 trains one model per plane; K ≥ 1 trains one model on K evenly spaced planes (in turn,
    /// one per step) and applies it to every plane (methods with <see cref="MethodCapabilities.SharedModel"/>).</summary>
    public int TrainPlanes { get; init; }

    /// <summary>Every this many training steps, make an interim result and hand it to <see cref="OnCheckpoint"/>
    /// (not after the last step: the real result follows). 0 (the default) = never. Shared-model stack runs
    /// (<see cref="TrainPlanes"/> ≥ 1) make none.</summary>
    public int CheckpointEvery { get; init; }

    /// <summary>Stochastic passes averaged for an ensemble method's checkpoint (default 10; the final result uses the
    /// method's own pass count). Each costs about one training step's forward pass.</summary>
    public int CheckpointPasses { get; init; } = 10;

    /// <summary>Wall-clock limit on training and prediction per call (for a stack, shared equally among the planes
    /// still to do; for separately denoised sub-images, among them): training stops early, with the model as it stands,
    /// once the next step and the prediction would not fit, and ensembles average the passes that fit (at least one
    /// step and one pass always run). Null = no limit: the iteration count alone decides.</summary>
    public TimeSpan? TimeBudget { get; init; }

    /// <summary>Stop training when a held-out loss stops improving, and end with the weights that scored best
    /// (<see cref="Training.EarlyStopping"/>; methods with <see cref="MethodCapabilities.StoppingRule"/>). The iteration
    /// count is then an upper bound. Off by default.</summary>
    public bool EarlyStop { get; init; }

    /// <summary>With <see cref="CheckpointEvery"/>: at every checkpoint, write the run's whole training state (weights,
    /// optimiser, random streams, step; a model file with a training section) atomically to this path. A run that
    /// finds a checkpoint of the same run there (method, settings, seed, input, threads) resumes from it and gives the
    /// same bits as a run never stopped; one of another run is refused (<see cref="InvalidDataException"/>). Deleted
    /// when the run finishes. Only methods with <see cref="MethodCapabilities.Resumable"/>, single images or stacks
    /// of one plane; null (the default) = none.</summary>
    public string? CheckpointFile { get; init; }

    /// <summary>Receives the interim results (<see cref="CheckpointEvery"/>), on the training thread. A callback, not a
    /// setting: it takes no part in comparisons of settings.</summary>
    public Action<DenoiseCheckpoint>? OnCheckpoint { get; init; }

    internal void Validate()
    {
        var descriptor = MethodRegistry.Find(Method);
        if (MethodOptions is not null && MethodOptions.GetType() != descriptor.DefaultOptions.GetType())
            throw new ArgumentException($"{MethodOptions.GetType().Name} are not settings of {Method} (it takes {descriptor.DefaultOptions.GetType().Name})");
        if (CheckpointEvery < 0) throw new ArgumentException($"checkpoint-every must be ≥ 0, got {CheckpointEvery}");
        if (EarlyStop && !descriptor.Can(MethodCapabilities.StoppingRule))
            throw new ArgumentException($"method {Method} has no stopping rule; methods with one: " +
                                        string.Join(", ", MethodRegistry.All.Where(d => d.Can(MethodCapabilities.StoppingRule)).Select(d => d.Name)));
        if (EarlyStop && descriptor.Create() is Methods.IEnsembleMethod ensemble && !ensemble.PredictsByPasses(this))
            throw new ArgumentException($"the stopping rule keeps the best weights, so {Method}'s output must be their passes, not an average kept during training (output-ema)");
        if (EarlyStop && CheckpointFile is not null)
            throw new ArgumentException("a run with the stopping rule cannot be resumed exactly (its kept weights are not checkpointed)");
        if (TimeBudget is TimeSpan budget && budget <= TimeSpan.Zero) throw new ArgumentException($"time budget must be > 0, got {budget}");
        if (CheckpointPasses < 1) throw new ArgumentException($"checkpoint passes must be ≥ 1, got {CheckpointPasses}");
        if (Iterations < 1) throw new ArgumentException($"iterations must be ≥ 1, got {Iterations}");
        if (Threads < 0) throw new ArgumentException($"threads must be ≥ 0, got {Threads}");
        if (LearningRate is float lr && (!(lr > 0) || float.IsInfinity(lr)))
            throw new ArgumentException($"learning rate must be a finite number > 0, got {lr}");
        if (MemoryBudget < 0) throw new ArgumentException($"memory budget must be ≥ 0, got {MemoryBudget}");
        if (PatchSize < 16) throw new ArgumentException($"patch size must be ≥ 16, got {PatchSize}");
        if (DecorrelationStride is < 0 or > 8) throw new ArgumentException($"decorrelation stride must be 0 (auto) or 1 to 8, got {DecorrelationStride}");
        if (!Enum.IsDefined(VarianceStabilization)) throw new ArgumentException($"unknown variance stabilization {VarianceStabilization}");
        if (VarianceStabilization != VarianceStabilization.Off && MethodOptions is Methods.Bm3d.Bm3dOptions { NoiseModel: Methods.Bm3d.Bm3dNoiseModel.PoissonGaussian })
            throw new ArgumentException("bm3d's PoissonGaussian noise model already stabilizes the variance; use one or the other");
        if (TrainPlanes < 0) throw new ArgumentException($"train-planes must be ≥ 0, got {TrainPlanes}");
        if (TrainPlanes > 0 && !descriptor.Can(MethodCapabilities.SharedModel))
            throw new ArgumentException($"method {Method} trains one model per image; a model shared by several planes (train-planes) needs " +
                                        string.Join(" or ", MethodRegistry.All.Where(d => d.Can(MethodCapabilities.SharedModel)).Select(d => d.Name)));
        if (LearningRate is not null && descriptor.Can(MethodCapabilities.Classical))
            throw new ArgumentException($"method {Method} trains nothing, so it takes no learning rate");
        if (CheckpointFile is not null)
        {
            if (!descriptor.Can(MethodCapabilities.Resumable))
                throw new ArgumentException($"method {Method} cannot resume a stopped run exactly; resumable: " +
                                            string.Join(", ", MethodRegistry.All.Where(d => d.Can(MethodCapabilities.Resumable)).Select(d => d.Name)));
            if (CheckpointEvery <= 0) throw new ArgumentException("a checkpoint file needs checkpoint-every ≥ 1");
            if (TrainPlanes > 0) throw new ArgumentException("a shared-model stack run (train-planes) makes no checkpoints to resume from");
            if (DecorrelationStride != 1 || VarianceStabilization != VarianceStabilization.Off)
                throw new ArgumentException("resumable checkpoints are made for images denoised as they are, without decorrelation or stabilization");
        }
        (MethodOptions ?? descriptor.DefaultOptions).Validate(Iterations);
    }
}
