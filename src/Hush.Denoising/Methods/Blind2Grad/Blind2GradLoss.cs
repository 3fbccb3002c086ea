using Hush.Engine;

namespace Hush.Denoising.Methods.Blind2Grad;

/// <summary>
/// Blind2Grad's loss, Eq. 3.9, on the hidden samples Ω of one mask, divided by their count:
/// L = [ Σ_Ω (d_c + ω·d_g)² + γ·Σ_Ω d_c² ] / |Ω| with d_c = f(Ω(y)) − y (Eq. 1.1, the blind-spot colour term) and
/// d_g = ∇f(y) − ∇f(Ω(y)) (Eq. 3.4), ∇ = D_x + D_y (forward differences; <see cref="Blind2GradGradient.Sum"/>) or
/// each difference on its own (<see cref="Blind2GradGradient.Separate"/>, the two squares halved). By linearity
/// d_g = ∇(f(y) − f(Ω(y))). Eq. 3.5–3.6 first write (|d_c| + ω|d_g|)²; the paper keeps the signed form, as here.
/// A composite of engine ops: the gradient flows to both predictions.
/// </summary>
internal static class Blind2GradLoss
{
    /// <summary>masked = f(Ω(y)), unmasked = f(y) or null (ω = 0: only the colour terms), target = y, dropped = Ω as a
    /// 0/1 array over the same [1, C, H, W] shape, count = |Ω|.</summary>
    public static Tensor Compute(Tensor masked, Tensor? unmasked, Tensor target, float[] dropped, int count,
        float omega, float gamma, Blind2GradGradient gradient)
    {
        var omegaMask = Tensor.StepConstant(dropped, masked.Shape);
        var dc = Ops.Mul(Ops.Sub(masked, target), omegaMask);
        var colour = SumOfSquares(dc);
        Tensor total;
        if (unmasked is null || omega == 0f)
        {
            total = Ops.Scale(colour, 1f + gamma);
        }
        else
        {
            var deviation = Ops.Sub(unmasked, masked);
            var dx = Ops.ForwardDifference(deviation, horizontal: true);
            var dy = Ops.ForwardDifference(deviation, horizontal: false);
            Tensor Joint(Tensor dg) => SumOfSquares(Ops.Add(dc, Ops.Scale(Ops.Mul(dg, omegaMask), omega)));
            var joint = gradient == Blind2GradGradient.Sum
                ? Joint(Ops.Add(dx, dy))
                : Ops.Scale(Ops.Add(Joint(dx), Joint(dy)), 0.5f);
            total = Ops.Add(joint, Ops.Scale(colour, gamma));
        }

        return Ops.Scale(total, 1f / count);
    }

    private static Tensor SumOfSquares(Tensor x) => Ops.Sum(Ops.Mul(x, x));
}
