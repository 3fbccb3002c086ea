using Hush.Engine;
using Hush.Engine.Layers;

namespace Hush.Denoising.Networks;

/// <summary>How a U-Net's convolutions are initialised.</summary>
internal enum UNetInit
{
    /// <summary>PyTorch's default (Kaiming-uniform, a = √5), as <see cref="Conv2d"/> draws it.</summary>
    Default,

    /// <summary>N(0, 0.02²), bias 0 (Self2Self+).</summary>
    Normal002,

    /// <summary>He-normal, bias 0 (Self2Self).</summary>
    HeNormal,
}

/// <summary>The U-Net building blocks shared by Self2Self+, Self2Self, the speed yardstick and
/// Blind2Grad: 'same' 3×3 convolutions with a border mode and an initialisation, and the decoder stage.</summary>
internal static class UNet
{
    /// <summary>Inputs of U-Nets that halve the resolution 5 times must have sides that are multiples of this.</summary>
    public const int Multiple = 32;

    public static PaddedConv2d Conv3x3(int inChannels, int outChannels, Rng rng, PadMode mode, UNetInit init)
    {
        var conv = new PaddedConv2d(inChannels, outChannels, 3, rng, mode);
        if (init == UNetInit.Normal002) WeightInit.Normal(conv.Weight, conv.Bias, rng, 0.02f);
        else if (init == UNetInit.HeNormal) WeightInit.HeNormal(conv.Weight, conv.Bias, rng);
        return conv;
    }

    /// <summary>Inverted dropout with rate <paramref name="p"/>, active in training and prediction alike (p = 0: identity).</summary>
    public static Tensor Dropout(Tensor x, float p, Rng rng) => p > 0f ? Ops.Dropout(x, p, rng) : x;
}

/// <summary>The multipliers a decoder stage's drop applies to a convolution's input (null: none): to x, or with
/// <paramref name="second"/> to the channel concatenation [x | second], which the convolution reads part by part and
/// which is never made. Drawn from <paramref name="rng"/>.</summary>
internal delegate float[]? DropMask(Tensor x, Tensor? second, Rng rng);

/// <summary>
/// A decoder stage: nearest ×2 up-sampling of the coarser features, concatenation with the skip, then for each width
/// [dropout(p) → conv3×3 → LeakyReLU(slope)]. Self2Self+: widths (96, 96), slope 0.2, reflect borders, p = the mask
/// probability. Self2Self: (96, 96) at inner levels and (64, 32) at full resolution, slope 0.1, p = dropout rate.
/// </summary>
internal sealed class UpBlock : Module
{
    private readonly PaddedConv2d[] _convs;
    private readonly float _slope;
    private readonly DropMask _dropMask; // built once: a forward pass makes no delegate

    public UpBlock(int inChannels, int[] widths, Rng rng, PadMode mode, UNetInit init, float slope, float dropout)
    {
        _slope = slope;
        // the multipliers of UNet.Dropout (null for p = 0), over x or the concatenation [x | second]
        _dropMask = (x, second, rng) => dropout > 0f ? Ops.DropoutMask(x.Length + (second?.Length ?? 0), dropout, rng) : null;
        _convs = new PaddedConv2d[widths.Length];
        for (int k = 0; k < widths.Length; k++)
            _convs[k] = UNet.Conv3x3(k == 0 ? inChannels : widths[k - 1], widths[k], rng, mode, init);
    }

    public int OutChannels => _convs[^1].Weight.Shape[0];

    /// <summary>below [N, Cb, H/2, W/2], skip [N, Cs, H, W] (Cb + Cs = in channels) → [N, last width, H, W].</summary>
    public Tensor Forward(Tensor below, Tensor skip, Rng rng) => Convolve(Ops.UpsampleNearest2x(below), skip, _dropMask, rng);

    /// <summary>The stage's convolutions alone, on its already up-sampled input h [N, Ch, H, W] and the skip [N, Cs, H, W]
    /// (Ch + Cs = in channels), whose concatenation the first convolution reads part by part: [h ⊙ drop(h) → conv3×3 →
    /// LeakyReLU] per width, where drop gives the multipliers of the stage's dropout (null: none), applied inside the
    /// convolution. Blind2Grad builds its stage input differently (normalisation, gradient layer, attention) and drops
    /// with T-standout.</summary>
    public Tensor Convolve(Tensor h, Tensor skip, DropMask drop, Rng rng)
    {
        h = _convs[0].ForwardLeakyRelu(h, skip, _slope, drop(h, skip, rng));
        for (int k = 1; k < _convs.Length; k++) h = _convs[k].ForwardLeakyRelu(h, _slope, drop(h, null, rng));
        return h;
    }

    public override IEnumerable<Tensor> Parameters() => _convs.SelectMany(c => c.Parameters());
}
