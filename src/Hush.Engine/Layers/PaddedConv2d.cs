namespace Hush.Engine.Layers;

/// <summary>A stride-1 'same' k×k convolution (k odd) whose border is padded with <see cref="PadMode"/>: Zero uses the
/// convolution's own padding (and so its Winograd path for 3×3); Reflect/Symmetric pad with <see cref="Ops.Pad2d"/>
/// and convolve unpadded — except where a 3×3 convolution qualifies for Winograd, which only handles padding 1: there
/// the mirrored input is convolved with padding 1 and the one-pixel frame cropped off (the interior is exactly the
/// unpadded convolution; the frame costs 2/H + 2/W more work and saves about 2.5× on the rest).
/// Initialised like <see cref="Conv2d"/>; re-draw with <see cref="WeightInit"/>.</summary>
public sealed class PaddedConv2d : Module
{
    private readonly Conv2d _conv;
    private readonly int _pad;

    public PaddedConv2d(int inChannels, int outChannels, int kernelSize, Rng rng, PadMode mode, bool bias = true)
    {
        if (kernelSize < 1 || kernelSize % 2 == 0) throw new ArgumentOutOfRangeException(nameof(kernelSize), kernelSize, "kernel size must be odd.");
        if (!Enum.IsDefined(mode)) throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown pad mode.");
        Mode = mode;
        _pad = kernelSize / 2;
        _conv = new Conv2d(inChannels, outChannels, kernelSize, rng, padding: mode == PadMode.Zero ? _pad : 0, bias: bias);
    }

    public PadMode Mode { get; }

    public Tensor Weight => _conv.Weight;

    public Tensor? Bias => _conv.Bias;

    public Tensor Forward(Tensor x) => Convolve(x, null);

    /// <summary>LeakyRelu(Forward(x), slope), fused.</summary>
    public Tensor ForwardLeakyRelu(Tensor x, float slope) => Convolve(x, slope);

    private Tensor Convolve(Tensor x, float? slope)
    {
        if (Mode == PadMode.Zero || _pad == 0) return Apply(x, _conv.Padding);
        var padded = Ops.Pad2d(x, _pad, Mode);
        if (_pad == 1 && x.Rank == 4 && Kernels.Winograd.WinogradConv.Can(
                Kernels.ConvGeometry.Create(padded.Shape, Weight.Shape, Bias?.Shape, 1, 1, 1, 1), Kernels.Simd.Best))
            return Ops.Crop2d(Apply(padded, 1), 1, 1, x.Shape[2], x.Shape[3]);
        return Apply(padded, 0);

        Tensor Apply(Tensor input, int padding) => slope is float s
            ? Ops.Conv2dLeakyRelu(input, Weight, Bias, s, padding: padding)
            : Ops.Conv2d(input, Weight, Bias, padding: padding);
    }

    public override IEnumerable<Tensor> Parameters() => _conv.Parameters();
}
