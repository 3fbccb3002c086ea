using Hush.Denoising.Masking;
using Hush.Denoising.Networks;
using Hush.Engine;
using Hush.Engine.Fused;
using Hush.Engine.Layers;

namespace Hush.Denoising.Methods.Blind2Grad;

/// <summary>
/// Blind2Grad's encoder–decoder (Sec. 3.3, reconstructed; the choices are in <see cref="Blind2GradOptions"/>), width 48,
/// LeakyReLU 0.1, 3×3 kernels, zero borders, He-normal initialisation:
/// encoder: a masked (partial) convolution C → 48 at H×W, a convolution 48 → 48 (dilated by
/// <see cref="Blind2GradOptions.Dilation"/>, 1 by default), then 5 × [max-pool → convolution]
/// down to H/32; decoder: 5 <see cref="DecoderStage"/>s to H/16 … H (skips: the encoder's outputs at H/16 … H/2 and,
/// at full resolution, the masked input as in Self2Self), widths (96, 96) and (64, 32) at full resolution, then
/// conv 32 → C and a sigmoid (Self2Self's output; images live in [0, 1]). T-standout (or dropout) precedes the decoder
/// convolutions chosen by <see cref="Blind2GradOptions.StandoutPlacement"/>. Sides must be multiples of 32.
/// </summary>
internal sealed class Blind2GradNetwork : Module
{
    // The encoder outputs the decoder joins, reused by every forward pass (one pass at a time, on one thread): a
    // step allocates no array for them.
    private readonly Tensor[] _skips = new Tensor[5];

    private const int Width = 48, DecoderWidth = 96, HalfResolutionStage = 3;
    private const float Slope = 0.1f;
    private readonly PartialConv2d _masked;
    private readonly PaddedConv2d[] _encoder = new PaddedConv2d[6];
    private readonly DecoderStage[] _decoder = new DecoderStage[5];
    private readonly PaddedConv2d _out;
    private readonly Blind2GradOptions _o;
    private readonly DropMask _dropMask; // built once: a forward pass makes no delegate
    private static readonly DropMask NoDrop = static (_, _, _) => null;

    public Blind2GradNetwork(int channels, Blind2GradOptions options, Rng rng)
    {
        _o = options;
        _dropMask = Drops;
        _masked = new PartialConv2d(channels, Width, 3, rng, PadMode.Zero);
        for (int k = 0; k < _encoder.Length; k++) _encoder[k] = UNet.Conv3x3(Width, Width, rng, PadMode.Zero, UNetInit.HeNormal);
        for (int k = 0; k < _decoder.Length; k++)
        {
            bool gradient = options.GradientLayer == Blind2GradGradientLayer.EveryStage
                            || (options.GradientLayer == Blind2GradGradientLayer.HalfResolution && k == HalfResolutionStage);
            _decoder[k] = new DecoderStage(k == 0 ? Width : DecoderWidth, k == 4 ? channels : Width,
                k == 4 ? [64, 32] : [DecoderWidth, DecoderWidth], gradient, options.AttentionReduction, rng, Slope);
        }
        _out = UNet.Conv3x3(32, channels, rng, PadMode.Zero, UNetInit.HeNormal);
    }

    /// <summary>masked [1, C, H, W] = Ω(y) and its pixel mask [1, 1, H, W] (1 = visible; all ones for f(y)) →
    /// [1, C, H, W] in (0, 1). T-standout and dropout draw from <paramref name="rng"/>.</summary>
    public Tensor Forward(Tensor masked, Tensor mask, Rng rng)
    {
        var skips = _skips;
        skips[0] = masked;
        var h = Ops.LeakyRelu(_masked.Forward(masked, mask, out _), Slope);
        h = FullResolutionConv(_encoder[0], h, _o.Dilation);
        for (int k = 1; k <= 5; k++)
        {
            h = _encoder[k].ForwardLeakyRelu(Ops.MaxPool2d(h), Slope);
            if (k <= 4) skips[k] = h; // at H/2^k
        }

        for (int k = 0; k < 5; k++)
        {
            bool drops = _o.StandoutPlacement == Blind2GradStandoutPlacement.EveryDecoderConv || k == HalfResolutionStage;
            h = _decoder[k].Forward(h, skips[4 - k], drops ? _dropMask : NoDrop, rng);
        }

        bool lastDrops = _o.StandoutPlacement == Blind2GradStandoutPlacement.EveryDecoderConv;
        return Ops.Sigmoid(_out.Forward(lastDrops ? Drop(h, rng) : h));
    }

    /// <summary>LeakyReLU(conv(h)) with <paramref name="conv"/>'s weights dilated by <paramref name="dilation"/> (zero
    /// padding = dilation, so the size is kept); dilation 1 is the layer's own (Winograd) path. The engine's convolution
    /// does the dilation, so there is no kernel of its own.</summary>
    internal static Tensor FullResolutionConv(PaddedConv2d conv, Tensor h, int dilation) => dilation == 1
        ? conv.ForwardLeakyRelu(h, Slope)
        : Ops.Conv2dLeakyRelu(h, conv.Weight, conv.Bias, Slope, padding: dilation, dilation: dilation);

    /// <summary>The multipliers of <see cref="Drop"/> on x, or on the concatenation [x | second] (null: none), applied by
    /// the next convolution to its input inside its own copy of it.</summary>
    private float[]? Drops(Tensor x, Tensor? second, Rng rng)
    {
        if (_o.DropoutRate <= 0f) return null;
        float threshold = _o.StandoutThreshold / 255f;
        if (second is null)
        {
            return _o.Standout
                ? FusedOps.StandoutMask(x, _o.DropoutRate, threshold, _o.StandoutScale, rng)
                : Ops.DropoutMask(x, _o.DropoutRate, rng);
        }

        return _o.Standout
            ? FusedOps.StandoutMask(x, second, _o.DropoutRate, threshold, _o.StandoutScale, rng)
            : Ops.DropoutMask(x.Length + second.Length, _o.DropoutRate, rng);
    }

    /// <summary>x ⊙ <see cref="Drops"/>: T-standout or dropout as a tensor op (before the output convolution, which
    /// has too few channels to apply the mask itself).</summary>
    private Tensor Drop(Tensor x, Rng rng) => Drops(x, null, rng) is { } m ? Ops.Mul(x, Tensor.StepConstant(m, x.Shape)) : x;

    public override IEnumerable<Tensor> Parameters() =>
        _masked.Parameters().Concat(_encoder.SelectMany(e => e.Parameters()))
            .Concat(_decoder.SelectMany(d => d.Parameters())).Concat(_out.Parameters());
}
