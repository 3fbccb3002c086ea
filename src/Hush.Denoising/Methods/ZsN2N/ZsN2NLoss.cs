using Hush.Engine;

namespace Hush.Denoising.Methods.ZsN2N;

/// <summary>The ZS-N2N training loss (methods.md §1.3): a symmetric Noise2Noise residual term between
/// the two sub-images plus a consistency term between "downsample then denoise" and "denoise then
/// downsample". Equal weights; every term carries gradient.</summary>
internal static class ZsN2NLoss
{
    /// <summary>y [1,C,H,W] → scalar loss [1].</summary>
    public static Tensor Compute(ZsN2NNetwork net, PairDownsampler down, Tensor y) => Compute(net, down, y, out _, out _);

    /// <summary>The loss, and the denoised sub-images p1 = f(y1), p2 = f(y2) it computed (for losses built on it).</summary>
    public static Tensor Compute(ZsN2NNetwork net, PairDownsampler down, Tensor y, out Tensor p1, out Tensor p2)
    {
        var y1 = down.First(y);
        var y2 = down.Second(y);
        p1 = net.Denoise(y1);
        p2 = net.Denoise(y2);
        var residual = Ops.Scale(Ops.Add(Ops.MseLoss(y1, p2), Ops.MseLoss(y2, p1)), 0.5f);

        var denoised = net.Denoise(y);
        var consistency = Ops.Scale(
            Ops.Add(Ops.MseLoss(p1, down.First(denoised)), Ops.MseLoss(p2, down.Second(denoised))), 0.5f);
        return Ops.Add(residual, consistency);
    }
}
