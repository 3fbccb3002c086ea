using Hush.Engine;

namespace Hush.Denoising.Methods.ZsN2N;

/// <summary>The ZS-N2N training loss (docs/methods/zs-n2n.md, "Loss"): a symmetric Noise2Noise residual term between
/// the two sub-images plus a consistency term between "downsample then denoise" and "denoise then
/// downsample". Equal weights; every term carries gradient.
///
/// The two sub-images y1, y2 (the pair downsampler, <see cref="Ops.DiagonalPairs"/>) travel as one batch [y1; y2]
/// of 2N images, so each convolution runs once per network application. The reference's two terms are means of
/// equal-sized pairs, so each is one mean over the stacked batch: ½(mse(y1, p2) + mse(y2, p1)) = mse([y1; y2], [p2; p1]).</summary>
internal static class ZsN2NLoss
{
    /// <summary>y [N,C,H,W] → scalar loss [1].</summary>
    public static Tensor Compute(ZsN2NNetwork net, Tensor y) => Compute(net, y, out _);

    /// <summary>The loss, and the denoised sub-images [f(y1); f(y2)] [2N,C,H/2,W/2] it computed (for losses built on it).
    /// With <paramref name="heldOut"/> the residual term's targets are only the blocks it keeps,
    /// scaled to the same mean: the others are held out for the stopping rule.</summary>
    public static Tensor Compute(ZsN2NNetwork net, Tensor y, out Tensor denoisedPairs, HeldOutBlocks? heldOut = null)
    {
        var pairs = Ops.DiagonalPairs(y);       // [y1; y2]
        var p = net.Denoise(pairs);              // [p1; p2]
        var residual = heldOut is null
            ? Ops.MseLoss(pairs, Ops.SwapBatchHalves(p))
            : Ops.Scale(Ops.MseLoss(Ops.Mul(pairs, heldOut.Keep), Ops.Mul(Ops.SwapBatchHalves(p), heldOut.Keep)), heldOut.Scale);

        var denoised = net.Denoise(y);
        var consistency = Ops.MseLoss(p, Ops.DiagonalPairs(denoised));
        denoisedPairs = p;
        return Ops.Add(residual, consistency);
    }
}
