using Hush.Denoising.Masking;
using Hush.Denoising.Networks;
using Hush.Engine;
using Hush.Engine.Layers;

namespace Hush.Denoising.Methods.Self2Self;

/// <summary>
/// The original Self2Self network (docs/methods/self2self.md, "Network", after the official code), width 48,
/// LeakyReLU 0.1: partial convolutions enc0, enc1 at H×W → pool → enc2 → pool → enc3 → pool → enc4 → pool → enc5 →
/// pool → enc6 at H/32 (the mask is max-pooled with the features; symmetric borders). Decoder: 4 <see cref="UpBlock"/>s
/// of (96, 96) with skips at H/16 … H/2, then ×2, concat the masked input, dropout → conv 64 → dropout → conv 32
/// (the last UpBlock), dropout → conv C → sigmoid. Every decoder conv is preceded by dropout; zero borders in the
/// decoder. He-normal initialisation, biases 0. Sides must be multiples of 32.
/// </summary>
internal sealed class Self2SelfNetwork : Module
{
    // The encoder outputs the decoder joins, reused by every forward pass (one pass at a time, on one thread): a
    // step allocates no array for them.
    private readonly Tensor[] _skips = new Tensor[5];

    private const int Width = 48, DecoderWidth = 96;
    private const float Slope = 0.1f;
    private readonly PartialConv2d[] _encoder = new PartialConv2d[7];
    private readonly UpBlock[] _decoder = new UpBlock[5];
    private readonly PaddedConv2d _out;
    private readonly float _dropout;

    public Self2SelfNetwork(int channels, float dropout, Rng rng)
    {
        _dropout = dropout;
        for (int k = 0; k < _encoder.Length; k++)
            _encoder[k] = new PartialConv2d(k == 0 ? channels : Width, Width, 3, rng, PadMode.Symmetric);
        for (int k = 0; k < 4; k++)
            _decoder[k] = new UpBlock((k == 0 ? Width : DecoderWidth) + Width, [DecoderWidth, DecoderWidth], rng,
                PadMode.Zero, UNetInit.HeNormal, Slope, dropout);
        _decoder[4] = new UpBlock(DecoderWidth + channels, [64, 32], rng, PadMode.Zero, UNetInit.HeNormal, Slope, dropout);
        _out = UNet.Conv3x3(32, channels, rng, PadMode.Zero, UNetInit.HeNormal);
    }

    /// <summary>masked [1, C, H, W] = M ⊙ y and its mask M [1, C, H, W] → [1, C, H, W] in (0, 1).</summary>
    public Tensor Forward(Tensor masked, Tensor mask, Rng rng)
    {
        var skips = _skips;
        skips[0] = masked;
        var h = _encoder[0].ForwardLeakyRelu(masked, mask, Slope, out var m);
        h = _encoder[1].ForwardLeakyRelu(h, m, Slope, out m);
        for (int k = 1; k <= 5; k++)
        {
            h = Ops.MaxPool2d(h);
            m = Ops.MaxPool2d(m);
            if (k <= 4) skips[k] = h; // at H/2^k
            h = _encoder[k + 1].ForwardLeakyRelu(h, m, Slope, out m);
        }

        for (int k = 0; k < 5; k++) h = _decoder[k].Forward(h, skips[4 - k], rng);
        return Ops.Sigmoid(_out.Forward(UNet.Dropout(h, _dropout, rng)));
    }

    public override IEnumerable<Tensor> Parameters() =>
        _encoder.SelectMany(e => e.Parameters()).Concat(_decoder.SelectMany(d => d.Parameters())).Concat(_out.Parameters());
}
