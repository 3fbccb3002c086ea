namespace Hush.Engine.Layers;

/// <summary>
/// Squeeze-and-excitation channel attention (Hu et al. 2018; Blind2Grad Eq. 3.12): s = sigmoid(W_II · LeakyReLU(W_I ·
/// GAP(x))), out = x ⊙ s per channel. W_I (C → ⌈C/r⌉) and W_II (⌈C/r⌉ → C) are 1×1 convolutions with bias, PyTorch's
/// default initialisation. A composite of <see cref="Ops.GlobalAvgPool2d"/>, <see cref="Ops.Conv2d"/>,
/// <see cref="Ops.LeakyRelu"/>, <see cref="Ops.Sigmoid"/> and <see cref="Ops.ScaleChannels"/>: no gradient rule of its own.
/// </summary>
public sealed class ChannelAttention : Module
{
    private readonly Conv2d _squeeze, _excite;
    private readonly float _slope;

    /// <summary>Squeeze-and-excitation over <paramref name="channels"/> channels with a bottleneck of channels / <paramref name="reduction"/>; <paramref name="slope"/> is the bottleneck's LeakyReLU slope.</summary>
    public ChannelAttention(int channels, int reduction, Rng rng, float slope)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(reduction, 1);
        int hidden = (channels + reduction - 1) / reduction;
        _squeeze = new Conv2d(channels, hidden, 1, rng);
        _excite = new Conv2d(hidden, channels, 1, rng);
        _slope = slope;
    }

    /// <summary>The gate s [N, C, 1, 1] in (0, 1).</summary>
    public Tensor Gate(Tensor x) => Ops.Sigmoid(_excite.Forward(Ops.LeakyRelu(_squeeze.Forward(Ops.GlobalAvgPool2d(x)), _slope)));

    /// <summary>x [N, C, H, W] → x ⊙ Gate(x).</summary>
    public Tensor Forward(Tensor x) => Ops.ScaleChannels(x, Gate(x));

    /// <inheritdoc/>
    public override IEnumerable<Tensor> Parameters() => _squeeze.Parameters().Concat(_excite.Parameters());
}
