namespace Hush.Engine.Layers;

/// <summary>Batch normalisation of [N, C, H, W] with learned γ (initially 1) and β (initially 0), always with the batch's
/// own statistics (see <see cref="Ops.BatchNorm2d"/>: no running averages, as a zero-shot network only ever sees the
/// one image it is trained on).</summary>
public sealed class BatchNorm2d : Module
{
    private readonly float _eps;

    /// <summary>Batch normalisation over <paramref name="channels"/> channels with a learned scale and shift; <paramref name="eps"/> is added to the variance.</summary>
    public BatchNorm2d(int channels, float eps = 1e-5f)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        _eps = eps;
        Gamma = Tensor.Parameter(Enumerable.Repeat(1f, channels).ToArray(), channels);
        Beta = Tensor.Parameter(new float[channels], channels);
    }

    /// <summary>[C], the scale.</summary>
    public Tensor Gamma { get; }

    /// <summary>[C], the shift.</summary>
    public Tensor Beta { get; }

    /// <summary>Normalises each channel of <paramref name="x"/> by its own batch statistics, then scales and shifts it.</summary>
    public Tensor Forward(Tensor x) => Ops.BatchNorm2d(x, Gamma, Beta, _eps);

    /// <inheritdoc/>
    public override IEnumerable<Tensor> Parameters() => [Gamma, Beta];
}
