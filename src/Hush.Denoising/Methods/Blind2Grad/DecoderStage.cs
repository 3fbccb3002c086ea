using Hush.Denoising.Masking;
using Hush.Denoising.Networks;
using Hush.Engine;
using Hush.Engine.Layers;

namespace Hush.Denoising.Methods.Blind2Grad;

/// <summary>
/// One step of Blind2Grad's decoder (Sec. 3.3: "up-sampling, batch normalisation, gradient layer, channel attention,
/// skip connection"): nearest ×2 of the coarser features → BatchNorm → optional <see cref="GradientLayer"/> →
/// <see cref="ChannelAttention"/> → concatenation with the skip → the convolutions of a shared <see cref="UpBlock"/>,
/// each preceded by the stage's drop (T-standout, dropout or nothing), whose multipliers the convolution applies.
/// Without a gradient layer the normalisation and attention run before the up-sampling, which they commute with.
/// </summary>
internal sealed class DecoderStage : Module
{
    private readonly BatchNorm2d _norm;
    private readonly GradientLayer? _gradient;
    private readonly ChannelAttention _attention;
    private readonly UpBlock _convs;

    public DecoderStage(int belowChannels, int skipChannels, int[] widths, bool gradientLayer, int reduction, Rng rng, float slope)
    {
        _norm = new BatchNorm2d(belowChannels);
        _gradient = gradientLayer ? new GradientLayer(belowChannels, rng, slope) : null;
        _attention = new ChannelAttention(belowChannels, reduction, rng, slope);
        _convs = new UpBlock(belowChannels + skipChannels, widths, rng, PadMode.Zero, UNetInit.HeNormal, slope, dropout: 0f);
    }

    public int OutChannels => _convs.OutChannels;

    /// <summary>below [N, Cb, H/2, W/2], skip [N, Cs, H, W] → [N, last width, H, W].</summary>
    public Tensor Forward(Tensor below, Tensor skip, DropMask drop, Rng rng)
    {
        if (_gradient is null)
        {
            // Without a gradient layer the stage is up(x) → BatchNorm → attention, and both commute with nearest ×2
            // up-sampling, which repeats each value 4 times: the batch statistics, the attention's channel means and its
            // per-channel scale are the same on x. So they run on the quarter-size input and the result is up-sampled
            // (in the full-resolution stage this saved about 5 % of a 256² step); equal up to the order of float sums.
            var scaled = _attention.Forward(_norm.Forward(below));
            return _convs.Convolve(Ops.UpsampleNearest2x(scaled), skip, drop, rng);
        }

        var h = _gradient.Forward(_norm.Forward(Ops.UpsampleNearest2x(below))); // the gradient layer needs the full-size map
        h = _attention.Forward(h);
        return _convs.Convolve(h, skip, drop, rng);
    }

    public override IEnumerable<Tensor> Parameters() =>
        _norm.Parameters().Concat(_gradient?.Parameters() ?? []).Concat(_attention.Parameters()).Concat(_convs.Parameters());
}
