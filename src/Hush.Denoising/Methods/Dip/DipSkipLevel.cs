using Hush.Engine;
using Hush.Engine.Layers;

namespace Hush.Denoising.Methods.Dip;

/// <summary>
/// One scale of the "skip" encoder-decoder (docs/methods/dip.md, "Network"), on an input x of depth d at side s:
/// <list type="bullet">
/// <item>skip: conv1×1(d→4) → BN → LReLU, at side s;</item>
/// <item>deeper: conv3×3 stride 2 (d→128) → BN → LReLU → conv3×3(128→128) → BN → LReLU, at side s/2, then the next
/// scale (if any), then bilinear ×2 back to side s;</item>
/// <item>BN over concat(skip, deeper) → conv3×3(→128) → BN → LReLU → conv1×1(128→128) → BN → LReLU.</item>
/// </list>
/// Every convolution has a bias and mirrors its border (reflection padding), the stride-2 one included.
/// </summary>
internal sealed class DipSkipLevel : Module
{
    /// <summary>LeakyReLU's negative slope, the reference's act('LeakyReLU').</summary>
    public const float Slope = 0.2f;

    private readonly PaddedConv2d _skip, _down, _conv, _up, _up1x1;
    private readonly BatchNorm2d _skipNorm, _downNorm, _convNorm, _joinNorm, _upNorm, _up1x1Norm;

    /// <summary>Created in the reference's construction order (skip branch, deeper branch, then the decoder side), so
    /// one generator fixes every weight; <paramref name="deeperOut"/> is the depth the inner scales hand back (or the
    /// down width at the deepest scale).</summary>
    public DipSkipLevel(int inChannels, int down, int up, int skip, int deeperOut, Rng rng)
    {
        _skip = new PaddedConv2d(inChannels, skip, 1, rng, PadMode.Reflect);
        _skipNorm = new BatchNorm2d(skip);
        _down = new PaddedConv2d(inChannels, down, 3, rng, PadMode.Reflect);
        _downNorm = new BatchNorm2d(down);
        _conv = new PaddedConv2d(down, down, 3, rng, PadMode.Reflect);
        _convNorm = new BatchNorm2d(down);
        _joinNorm = new BatchNorm2d(skip + deeperOut);
        _up = new PaddedConv2d(skip + deeperOut, up, 3, rng, PadMode.Reflect);
        _upNorm = new BatchNorm2d(up);
        _up1x1 = new PaddedConv2d(up, up, 1, rng, PadMode.Reflect);
        _up1x1Norm = new BatchNorm2d(up);
    }

    /// <summary>x [1, d, s, s'] (even sides) → [1, up, s, s']; <paramref name="inner"/>(<paramref name="next"/>, h) runs
    /// the deeper scales from level <paramref name="next"/> on the half-size features (null at the deepest scale).</summary>
    public Tensor Forward(Tensor x, Func<int, Tensor, Tensor>? inner, int next)
    {
        var skip = Act(_skipNorm, _skip.Forward(x));
        // The mirrored stride-2 3×3 convolution is the mirrored stride-1 one read at even pixels (a 1×1 pooling window
        // with stride 2 picks them, and routes their gradients back): 4× the products, but through the Winograd
        // kernel, which on a 128² image is over 10× faster than the engine's strided path.
        var deeper = Act(_downNorm, Ops.MaxPool2d(_down.Forward(x), 1, 2, 0));
        deeper = Act(_convNorm, _conv.Forward(deeper));
        if (inner is not null) deeper = inner(next, deeper);
        deeper = Ops.UpsampleBilinear2x(deeper);

        var h = _joinNorm.Forward(Ops.ConcatChannels(skip, deeper));
        h = Act(_upNorm, _up.Forward(h));
        return Act(_up1x1Norm, _up1x1.Forward(h));
    }

    private static Tensor Act(BatchNorm2d norm, Tensor x) => Ops.LeakyRelu(norm.Forward(x), Slope);

    public override IEnumerable<Tensor> Parameters() =>
    [
        .. _skip.Parameters(), .. _skipNorm.Parameters(), .. _down.Parameters(), .. _downNorm.Parameters(),
        .. _conv.Parameters(), .. _convNorm.Parameters(), .. _joinNorm.Parameters(), .. _up.Parameters(),
        .. _upNorm.Parameters(), .. _up1x1.Parameters(), .. _up1x1Norm.Parameters(),
    ];
}
