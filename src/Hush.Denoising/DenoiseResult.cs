using Hush.Imaging;

namespace Hush.Denoising;

/// <summary>What a run produced and exactly how: enough to repeat it.</summary>
public sealed record DenoiseResult(
    Image Output,
    string Method,
    int Iterations,
    ulong Seed,
    int Threads,
    double Seconds,
    float FinalLoss)
{
    /// <summary>The noise level the method used, given or estimated (methods that need one, e.g. bm3d); else null.</summary>
    public string? NoiseUsed { get; init; }

    /// <summary>The pixel-shuffle stride the image was denoised at (<see cref="DenoiseOptions.DecorrelationStride"/>);
    /// 1 when it was denoised whole.</summary>
    public int DecorrelationStride { get; init; } = 1;

    /// <summary>True when <see cref="DenoiseOptions.TimeBudget"/> cut training short (then <see cref="Iterations"/> is the
    /// steps taken) or an ensemble's passes.</summary>
    public bool StoppedByTimeBudget { get; init; }

    /// <summary>With <see cref="DenoiseOptions.EarlyStop"/>: the step whose weights the run ended with (the lowest
    /// held-out loss); <see cref="Iterations"/> is then the steps taken. Null without the rule.</summary>
    public int? KeptIteration { get; init; }

    /// <summary>With <see cref="DenoiseOptions.EarlyStop"/>: the held-out loss at every measurement (step, loss).</summary>
    public IReadOnlyList<(int Step, float Loss)>? HeldOutLoss { get; init; }

    /// <summary>The settings of the run (<see cref="Denoiser.Options"/>; for <see cref="Denoiser.Apply"/>, the model's).</summary>
    public DenoiseOptions? Options { get; init; }

    /// <summary>The trained network, for methods with <see cref="Methods.MethodCapabilities.ReusableModel"/>: save it
    /// (<see cref="DenoiseModel.Save(string)"/>) or apply it to further images (<see cref="Denoiser.Apply"/>); else null.</summary>
    public DenoiseModel? Model { get; init; }
}
