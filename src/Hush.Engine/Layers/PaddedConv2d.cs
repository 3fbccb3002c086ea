namespace Hush.Engine.Layers;

/// <summary>A stride-1 'same' k×k convolution (k odd) whose border is padded with <see cref="PadMode"/>: Zero uses the
/// convolution's own padding (and so its Winograd path for 3×3); a mirrored 3×3 one is <see cref="Ops.Conv2dSame3x3"/>
/// (Winograd with the mirror inside its padded copy); other sizes pad with <see cref="Ops.Pad2d(Tensor, int, int, int, int, PadMode)"/> and convolve
/// unpadded.
/// Initialised like <see cref="Conv2d"/>; re-draw with <see cref="WeightInit"/>.</summary>
public sealed class PaddedConv2d : Module
{
    private readonly Conv2d _conv;
    private readonly int _pad;

    /// <summary>A "same"-size convolution whose border is filled by <paramref name="mode"/>.</summary>
    public PaddedConv2d(int inChannels, int outChannels, int kernelSize, Rng rng, PadMode mode, bool bias = true)
    {
        if (kernelSize < 1 || kernelSize % 2 == 0) throw new ArgumentOutOfRangeException(nameof(kernelSize), kernelSize, "kernel size must be odd.");
        if (!Enum.IsDefined(mode)) throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown pad mode.");
        Mode = mode;
        _pad = kernelSize / 2;
        _conv = new Conv2d(inChannels, outChannels, kernelSize, rng, padding: mode == PadMode.Zero ? _pad : 0, bias: bias);
    }

    /// <summary>How the border is filled.</summary>
    public PadMode Mode { get; }

    /// <summary>The weights, shaped (out, in, k, k).</summary>
    public Tensor Weight => _conv.Weight;

    /// <summary>The bias per output channel, or null without one.</summary>
    public Tensor? Bias => _conv.Bias;

    /// <summary>Convolves <paramref name="x"/> (N, C, H, W) to an output of the same height and width.</summary>
    public Tensor Forward(Tensor x) => Convolve(x, null, null);

    /// <summary>LeakyRelu(Forward(x), slope), fused.</summary>
    public Tensor ForwardLeakyRelu(Tensor x, float slope) => Convolve(x, slope, null);

    /// <summary>LeakyRelu(Forward(x ⊙ inputScale), slope) (inputScale: x's shape, no gradient, e.g. a dropout mask from
    /// <see cref="Ops.DropoutMask(Tensor, float, Rng)"/>; null = 1): a 3×3 layer applies it inside the convolution's input copy.</summary>
    public Tensor ForwardLeakyRelu(Tensor x, float slope, float[]? inputScale) => Convolve(x, slope, inputScale);

    /// <summary>ForwardLeakyRelu(ConcatChannels(a, b), slope, inputScale) (inputScale: the concatenation's shape), with the
    /// concatenation never made where the layer is a 3×3 one (<see cref="Ops.ConcatConv2dSame3x3"/>).</summary>
    public Tensor ForwardLeakyRelu(Tensor a, Tensor b, float slope, float[]? inputScale) => _pad == 1
        ? Ops.ConcatConv2dSame3x3(a, b, Weight, Bias, Mode, slope, inputScale)
        : Convolve(Ops.ConcatChannels(a, b), slope, inputScale);

    private Tensor Convolve(Tensor x, float? slope, float[]? inputScale)
    {
        // 3×3: one op that mirrors the border and scales the input inside Winograd's padded copy (Ops.Conv2dSame3x3).
        if (_pad == 1) return Ops.Conv2dSame3x3(x, Weight, Bias, Mode, slope, inputScale);
        // Other kernel sizes: scale, pad, then an unpadded convolution.
        if (inputScale is not null) x = Ops.Mul(x, Tensor.StepConstant(inputScale, x.Shape));
        var input = Mode == PadMode.Zero || _pad == 0 ? x : Ops.Pad2d(x, _pad, Mode);
        return slope is float s ? _conv.ForwardLeakyRelu(input, s) : _conv.Forward(input);
    }

    /// <inheritdoc/>
    public override IEnumerable<Tensor> Parameters() => _conv.Parameters();
}
