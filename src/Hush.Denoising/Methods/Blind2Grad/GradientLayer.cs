using Hush.Denoising.Masking;
using Hush.Denoising.Networks;
using Hush.Engine;
using Hush.Engine.Layers;

namespace Hush.Denoising.Methods.Blind2Grad;

/// <summary>
/// Blind2Grad's "gradient layer" (Sec. 3.3 names it without a definition; [choice]): the features' forward differences
/// D_x h, D_y h (the same ∇ as the loss) go through a 3×3 convolution back to C channels and are added to h,
/// out = h + LeakyReLU(conv3×3(concat(D_x h, D_y h))). The residual form starts close to the identity, so the layer
/// can only add edge information to what the stage already carries.
/// </summary>
internal sealed class GradientLayer : Module
{
    private readonly PaddedConv2d _conv;
    private readonly float _slope;

    public GradientLayer(int channels, Rng rng, float slope)
    {
        _conv = UNet.Conv3x3(2 * channels, channels, rng, PadMode.Zero, UNetInit.HeNormal);
        _slope = slope;
    }

    /// <summary>h [N, C, H, W] → [N, C, H, W].</summary>
    public Tensor Forward(Tensor h)
    {
        // the convolution reads the two differences as the parts of their concatenation, which is never made
        Tensor dx = Ops.ForwardDifference(h, horizontal: true), dy = Ops.ForwardDifference(h, horizontal: false);
        return Ops.Add(h, _conv.ForwardLeakyRelu(dx, dy, _slope, null));
    }

    public override IEnumerable<Tensor> Parameters() => _conv.Parameters();
}
