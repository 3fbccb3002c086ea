using System.Collections.Concurrent;
using Hush.Engine;

namespace Hush.Denoising.Methods.LotaN2N;

/// <summary>
/// LoTA-N2N's trace (cross) term between a prediction's error and a target's noise, with clean proxies x̂ that
/// carry no gradient: T = ⟨f − x̂, x̂ − y'⟩ / n, the mean over elements of (f − x̂) ⊙ (x̂ − y'). By
/// ‖f − y'‖² = ‖f − x̂‖² + ‖x̂ − y'‖² + 2·Tr((f − x̂)ᵀ(x̂ − y')), it is the part of the self-supervised MSE that
/// does not vanish when the two sub-images' clean contents differ.
/// </summary>
internal static class TraceTerm
{
    /// <summary>|T| over the whole image (patch = 0), or the mean of |T_p| over non-overlapping patch × patch
    /// windows (all channels of a window together; edge rows/columns that do not fill a window are left out).
    /// f, proxy, target: [1, C, H, W]; proxy and target are constants. Returns a [1] tensor.</summary>
    public static Tensor Magnitude(Tensor f, Tensor proxy, Tensor target, int patch) => Magnitude(f, proxy, proxy, target, patch);

    /// <summary>The same with the error and the target's noise taken about different proxies: |⟨f − a, b − y'⟩| (the
    /// readings of <see cref="LotaTraceBranch"/> and <see cref="LotaTracePairing"/>); a and b are constants.</summary>
    public static Tensor Magnitude(Tensor f, Tensor errorProxy, Tensor noiseProxy, Tensor target, int patch)
    {
        var error = Ops.Sub(f, errorProxy);                                             // f − a
        var noise = Ops.Sub(noiseProxy, target);         // b − y': both constants, so no graph; a step arena buffer
        var product = Ops.Mul(error, noise);
        if (patch <= 0) return Ops.L1Loss(Ops.Mean(product), Tensor.StepConstant(Zeros(1), [1]));      // |T|

        int c = product.Shape[1], h = product.Shape[2], w = product.Shape[3];
        int p = Math.Min(patch, Math.Min(h, w));
        // Patch means over all channels: a stride-p convolution with one output channel of weights 1/(C·p²).
        var box = Tensor.StepConstant(Box(c, p), [1, c, p, p]);
        var means = Ops.Conv2d(product, box, stride: p);                                // [1, 1, ⌊H/p⌋, ⌊W/p⌋]
        return Ops.L1Loss(means, Tensor.StepConstant(Zeros(means.Length), means.Shape)); // mean |T_p|
    }

    // The constant weights and zero targets, made once per size and shared read-only (a step allocates none of them).
    private static readonly ConcurrentDictionary<(int C, int P), float[]> Boxes = new();
    private static readonly ConcurrentDictionary<int, float[]> ZeroArrays = new();

    private static float[] Box(int c, int p) => Boxes.GetOrAdd((c, p), static k => Enumerable.Repeat(1f / (k.C * k.P * k.P), k.C * k.P * k.P).ToArray());

    private static float[] Zeros(int length) => ZeroArrays.GetOrAdd(length, static n => new float[n]);
}
