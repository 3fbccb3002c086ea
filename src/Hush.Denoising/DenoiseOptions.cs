namespace Hush.Denoising;

/// <summary>Immutable settings for one denoising run. Defaults are the published ZS-N2N schedule
/// (methods.md §1.4, variant (a)): 3000 Adam steps at lr 1e-3, halved every 1000 steps.</summary>
public sealed record DenoiseOptions
{
    /// <summary>Method name, one of <see cref="Denoiser.Methods"/>.</summary>
    public string Method { get; init; } = "zs-n2n";

    /// <summary>Training iterations (gradient steps) on the one input image. Unset, it is the method's default
    /// (<see cref="DefaultIterations"/>).</summary>
    public int Iterations
    {
        get => _iterations ?? DefaultIterations(Method);
        init => _iterations = value;
    }

    private readonly int? _iterations;

    /// <summary>Default iterations per method: 3000 for zs-n2n (published ZS-N2N schedule), 4000 for lota-n2n (the
    /// complete ZS-N2N schedule as stage 1, then 1000 fine-tuning steps; see <see cref="LotaOptions"/>), 4000 for
    /// self2self-plus (its CBSD68 AWGN script), 3000 for self2self (a CPU-practical choice: the published count is
    /// 150,000) and 3000 for blind2grad (a CPU-practical choice: the paper's fast setting is 6000, and a step costs two
    /// forward passes and a backward pass; see Blind2GradOptions).</summary>
    public static int DefaultIterations(string method) => method switch
    {
        "lota-n2n" => 4000,
        "self2self-plus" => 4000,
        _ => 3000,
    };

    /// <summary>Seed for weight initialisation and any sampling. Null draws one from the OS; the seed
    /// actually used is always reported in <see cref="DenoiseResult.Seed"/> so a run can be repeated.</summary>
    public ulong? Seed { get; init; }

    /// <summary>Worker threads; 0 means one per logical core. Output is bit-identical for the same seed
    /// and thread count.</summary>
    public int Threads { get; init; }

    public float LearningRate { get; init; } = 1e-3f;

    /// <summary>The Adam rate the method actually uses (at its first step): blind2grad's own constant rate
    /// (<see cref="Blind2GradOptions.LearningRate"/>), the Self2Self family's (<see cref="SelfToSelfOptions.LearningRate"/>,
    /// or its published default when unset), else <see cref="LearningRate"/> (the ZS-N2N schedule's start).</summary>
    public float EffectiveLearningRate => Method switch
    {
        "blind2grad" => Blind2Grad.LearningRate,
        "self2self-plus" => SelfToSelf.LearningRate ?? Methods.SelfToSelf.Self2SelfPlusMethod.DefaultLearningRate,
        "self2self" => SelfToSelf.LearningRate ?? Methods.SelfToSelf.Self2SelfMethod.DefaultLearningRate,
        _ => LearningRate,
    };

    /// <summary>These options with the method's own Adam rate set to <paramref name="rate"/> (the property that
    /// <see cref="EffectiveLearningRate"/> reads).</summary>
    public DenoiseOptions WithLearningRate(float rate) => Method switch
    {
        "blind2grad" => this with { Blind2Grad = Blind2Grad with { LearningRate = rate } },
        "self2self-plus" or "self2self" => this with { SelfToSelf = SelfToSelf with { LearningRate = rate } },
        _ => this with { LearningRate = rate },
    };

    /// <summary>Steps between learning-rate decays (PyTorch StepLR step_size).</summary>
    public int LearningRateStep { get; init; } = 1000;

    /// <summary>Multiplicative decay applied every <see cref="LearningRateStep"/> steps.</summary>
    public float LearningRateGamma { get; init; } = 0.5f;

    /// <summary>Approximate bytes the run may use; 0 means half the memory the runtime reports available. Images whose
    /// whole-image training step would not fit train on random patches (<see cref="PatchSize"/>) and are denoised
    /// tile by tile (methods with a separable model: zs-n2n).</summary>
    public long MemoryBudget { get; init; }

    /// <summary>Side of the random training patches used when a whole-image step does not fit the budget.</summary>
    public int PatchSize { get; init; } = 512;

    /// <summary>Stacks: 0 trains one model per plane; K ≥ 1 trains one model on K evenly spaced planes (in turn,
    /// one per step) and applies it to every plane.</summary>
    public int TrainPlanes { get; init; }

    /// <summary>LoTA-N2N's stage-2 settings (used only by method "lota-n2n"; provisional defaults, see LotaOptions).</summary>
    public LotaOptions Lota { get; init; } = new();

    /// <summary>Settings of "self2self-plus" and "self2self" (mask probability, dropout, passes; see SelfToSelfOptions).</summary>
    public SelfToSelfOptions SelfToSelf { get; init; } = new();

    /// <summary>Settings of "blind2grad" (dual mask, loss weights, T-standout, network choices; see Blind2GradOptions).</summary>
    public Blind2GradOptions Blind2Grad { get; init; } = new();

    /// <summary>Every this many training steps, make an interim result and hand it to <see cref="OnCheckpoint"/>
    /// (not after the last step: the real result follows). 0 (the default) = never. Shared-model stack runs
    /// (<see cref="TrainPlanes"/> ≥ 1) make none.</summary>
    public int CheckpointEvery { get; init; }

    /// <summary>Stochastic passes averaged for a Self2Self-family checkpoint (default 10; the final result uses
    /// <see cref="SelfToSelfOptions.Passes"/>). Each costs about one training step's forward pass.</summary>
    public int CheckpointPasses { get; init; } = 10;

    /// <summary>Receives the interim results (<see cref="CheckpointEvery"/>), on the training thread.</summary>
    public Action<DenoiseCheckpoint>? OnCheckpoint { get; init; }

    internal void Validate()
    {
        if (CheckpointEvery < 0) throw new ArgumentException($"checkpoint-every must be ≥ 0, got {CheckpointEvery}");
        if (CheckpointPasses < 1) throw new ArgumentException($"checkpoint passes must be ≥ 1, got {CheckpointPasses}");
        if (!Denoiser.Methods.Contains(Method))
            throw new ArgumentException($"unknown method '{Method}' (known: {string.Join(", ", Denoiser.Methods)})");
        if (Iterations < 1) throw new ArgumentException($"iterations must be ≥ 1, got {Iterations}");
        if (Threads < 0) throw new ArgumentException($"threads must be ≥ 0, got {Threads}");
        if (!(LearningRate > 0) || float.IsInfinity(LearningRate))
            throw new ArgumentException($"learning rate must be a finite number > 0, got {LearningRate}");
        if (LearningRateStep < 1) throw new ArgumentException($"learning-rate step must be ≥ 1, got {LearningRateStep}");
        if (!(LearningRateGamma > 0) || LearningRateGamma > 1)
            throw new ArgumentException($"learning-rate gamma must be in (0,1], got {LearningRateGamma}");
        if (MemoryBudget < 0) throw new ArgumentException($"memory budget must be ≥ 0, got {MemoryBudget}");
        if (PatchSize < 16) throw new ArgumentException($"patch size must be ≥ 16, got {PatchSize}");
        if (TrainPlanes < 0) throw new ArgumentException($"train-planes must be ≥ 0, got {TrainPlanes}");
        ArgumentNullException.ThrowIfNull(Lota);
        if (Method == "lota-n2n") Lota.Validate(Iterations);
        ArgumentNullException.ThrowIfNull(SelfToSelf);
        SelfToSelf.Validate();
        ArgumentNullException.ThrowIfNull(Blind2Grad);
        Blind2Grad.Validate();
    }
}
