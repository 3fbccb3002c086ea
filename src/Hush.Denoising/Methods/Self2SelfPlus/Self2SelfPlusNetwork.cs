using Hush.Denoising.Masking;
using Hush.Denoising.Networks;
using Hush.Engine;
using Hush.Engine.Layers;

namespace Hush.Denoising.Methods.Self2SelfPlus;

/// <summary>
/// Self2Self+'s network (docs/methods/self2self-plus.md, "Network", after the official code), width 48:
/// EB0 = GatedConv(in→48) → GatedConv(48→48) at H×W; EB1..EB5 = MaxPool2 → GatedConv(48→48), down to H/32. Decoder:
/// 5 <see cref="UpBlock"/>s (nearest ×2, concat e4, e3, e2, e1, e0; dropout(p) → conv → 96 → LReLU 0.2, twice), then
/// conv3×3 96→C, no activation. Reflect borders everywhere, weights N(0, 0.02²), biases 0. Sides must be multiples of 32.
/// </summary>
internal sealed class Self2SelfPlusNetwork : Module
{
    // The encoder outputs the decoder joins, reused by every forward pass (one pass at a time, on one thread): a
    // step allocates no array for them.
    private readonly Tensor[] _skips = new Tensor[6];

    private const int Width = 48, DecoderWidth = 96;
    private readonly GatedConv2d[] _encoder = new GatedConv2d[7]; // EB0 (two), EB1..EB5
    private readonly UpBlock[] _decoder = new UpBlock[5];
    private readonly PaddedConv2d _out;

    public Self2SelfPlusNetwork(int inChannels, int outChannels, float dropout, Rng rng)
    {
        for (int k = 0; k < _encoder.Length; k++) _encoder[k] = new GatedConv2d(k == 0 ? inChannels : Width, Width, rng);
        for (int k = 0; k < _decoder.Length; k++)
            _decoder[k] = new UpBlock((k == 0 ? Width : DecoderWidth) + Width, [DecoderWidth, DecoderWidth], rng,
                PadMode.Reflect, UNetInit.Normal002, 0.2f, dropout);
        _out = UNet.Conv3x3(DecoderWidth, outChannels, rng, PadMode.Reflect, UNetInit.Normal002);
    }

    /// <summary>x [1, in, H, W] (the mask and the masked image, concatenated) → [1, out, H, W]; dropout draws from
    /// <paramref name="rng"/>.</summary>
    public Tensor Forward(Tensor x, Rng rng)
    {
        var skips = _skips;
        var h = _encoder[1].Forward(_encoder[0].Forward(x));
        skips[0] = h;
        for (int k = 1; k <= 5; k++)
        {
            h = _encoder[k + 1].Forward(Ops.MaxPool2d(h));
            skips[k] = h; // at H/2^k
        }

        for (int k = 0; k < 5; k++) h = _decoder[k].Forward(h, skips[4 - k], rng);
        return _out.Forward(h);
    }

    public override IEnumerable<Tensor> Parameters() =>
        _encoder.SelectMany(e => e.Parameters()).Concat(_decoder.SelectMany(d => d.Parameters())).Concat(_out.Parameters());
}
