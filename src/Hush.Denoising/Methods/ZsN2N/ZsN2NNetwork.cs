using Hush.Engine;
using Hush.Engine.Fused;
using Hush.Engine.Layers;

namespace Hush.Denoising.Methods.ZsN2N;

/// <summary>ZS-N2N's noise predictor g: conv3×3(C→48) → LeakyReLU(0.2) → conv3×3(48→48) → LeakyReLU(0.2)
/// → conv1×1(48→C). It predicts the noise; the denoiser is z − g(z). 22,275 parameters for C=3.</summary>
internal sealed class ZsN2NNetwork : Module
{
    public const int Width = 48;
    private const float Slope = 0.2f;
    private readonly Conv2d _conv1, _conv2, _conv3;

    public ZsN2NNetwork(int channels, Rng rng)
    {
        // Created in PyTorch's order (conv1, conv2, conv3; weight then bias) so one seed fixes every weight.
        _conv1 = new Conv2d(channels, Width, 3, rng, padding: 1);
        _conv2 = new Conv2d(Width, Width, 3, rng, padding: 1);
        _conv3 = new Conv2d(Width, channels, 1, rng);
    }

    /// <summary>x [N,C,H,W] → predicted noise [N,C,H,W].</summary>
    public Tensor Forward(Tensor x)
    {
        // The three layers as one op: the 48-channel activations stay in the Winograd kernel's layout and their
        // gradients skip NCHW (the step is memory-bound; see FusedOps.Conv2dLeakyReluStemHead). Same values as the layers
        // one after the other, up to float summation order.
        return FusedOps.Conv2dLeakyReluStemHead(x, _conv1.Weight, _conv1.Bias!, _conv2.Weight, _conv2.Bias!, _conv3.Weight, _conv3.Bias!, Slope);
    }

    /// <summary>The denoiser f(z) = z − g(z).</summary>
    public Tensor Denoise(Tensor x) => Ops.Sub(x, Forward(x));

    public override IEnumerable<Tensor> Parameters() =>
        _conv1.Parameters().Concat(_conv2.Parameters()).Concat(_conv3.Parameters());
}
