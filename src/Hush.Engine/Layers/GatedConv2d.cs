namespace Hush.Engine.Layers;

/// <summary>
/// Gated convolution (Yu et al., ICCV 2019, as Self2Self+ uses it): LeakyReLU(Conv_f(x), 0.2) ⊙ sigmoid(Conv_g(x)),
/// 'same' k×k convolutions with bias and the given border mode (Self2Self+: reflect). Conv_f and Conv_g are stored
/// stacked as one [2·out, in, k, k] convolution (rows 0..out−1 are Conv_f, the rest Conv_g), so x is padded and read
/// once; the result is split by channel. Initialised N(0, 0.02²), bias 0 (Self2Self+).
/// </summary>
public sealed class GatedConv2d : Module
{
    private readonly PaddedConv2d _conv;
    private readonly float _slope;

    /// <summary>A gated convolution from <paramref name="inChannels"/> to <paramref name="outChannels"/> channels, padded by <paramref name="mode"/>.</summary>
    public GatedConv2d(int inChannels, int outChannels, Rng rng, PadMode mode = PadMode.Reflect, int kernelSize = 3, float slope = 0.2f, float initStd = 0.02f)
    {
        _slope = slope;
        _conv = new PaddedConv2d(inChannels, 2 * outChannels, kernelSize, rng, mode);
        WeightInit.Normal(_conv.Weight, _conv.Bias, rng, initStd);
    }

    /// <summary>[2·out, in, k, k]: Conv_f's filters, then Conv_g's.</summary>
    public Tensor Weight => _conv.Weight;

    /// <summary>[2·out]: Conv_f's biases, then Conv_g's.</summary>
    public Tensor Bias => _conv.Bias!;

    /// <summary>The gate runs as one fused op (<see cref="Fused.FusedOps.Gated"/>, equal to its composition).</summary>
    public Tensor Forward(Tensor x) => Fused.FusedOps.Gated(_conv.Forward(x), _slope);

    /// <inheritdoc/>
    public override IEnumerable<Tensor> Parameters() => _conv.Parameters();
}
