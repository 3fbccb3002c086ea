using Hush.Engine.Kernels;

namespace Hush.Engine.Fused;

// T-standout, Blind2Grad's dropout that never drops units on strong edges (its kernel: StandoutDraws.cs beside this
// file). Replaces StandoutComposed below (forward differences, Mul, Add and Dropout);
// tests/Hush.Engine.Tests/Fused/StandoutTests.cs checks the two are equal.
public static partial class FusedOps
{
    /// <summary>The units T-standout must keep: 1 where the spatial gradient magnitude √(dx² + dy²) of x (forward
    /// differences of its plane) is ≥ <paramref name="threshold"/> on <paramref name="scale"/>, else 0. No gradient.
    /// A plane whose magnitudes are all 0 keeps nothing under <see cref="StandoutScale.RelativeToPlaneMax"/>.</summary>
    public static float[] StandoutKeep(Tensor x, float threshold, StandoutScale scale)
    {
        CheckStandout(x, threshold, scale);
        var keep = TensorArena.AllocateOutput(x.Length);
        // StandoutMask's kernel with nothing drawn (threshold 0): the kept units are 1, every other unit 0.
        StandoutDraws.Fill(keep, x.Data, x.Shape[0] * x.Shape[1], x.Shape[2], x.Shape[3], threshold,
            scale == StandoutScale.RelativeToPlaneMax, key: 0, t: 0, factor: 0f);
        return keep;
    }

    /// <summary>T-standout (Blind2Grad, Sec. 3.2): inverted dropout with rate <paramref name="p"/> whose drop decision is
    /// overruled for units whose gradient magnitude reaches the threshold (<see cref="StandoutKeep"/>): those are always
    /// kept, unscaled; the others are kept with probability 1 − p and scaled by 1/(1 − p), so every unit keeps its
    /// expectation. The draws are <see cref="Ops.Dropout"/>'s counter-based hash of one key from <paramref name="rng"/> and
    /// the element index, made for every element whatever the decision, so a seed fixes them independently of the data
    /// and of the thread count. Always active, like <see cref="Ops.Dropout"/>.</summary>
    public static Tensor Standout(Tensor x, float p, float threshold, StandoutScale scale, Rng rng) =>
        Ops.Mul(x, Tensor.StepConstant(StandoutMask(x, p, threshold, scale, rng), x.Shape));

    /// <summary>The multipliers <see cref="Standout"/> applies to x (1 on the units it must keep, else 1/(1 − p) or 0 as
    /// drawn), the same draws from the same generator state: Standout(x, …) = x ⊙ StandoutMask(x, …). For a convolution
    /// that applies them to its input in its own copy of it (<see cref="Ops.Conv2dSame3x3"/>'s input scale).</summary>
    public static float[] StandoutMask(Tensor x, float p, float threshold, StandoutScale scale, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (!(p >= 0f && p < 1f)) throw new ArgumentOutOfRangeException(nameof(p), p, "Standout needs 0 <= p < 1.");
        CheckStandout(x, threshold, scale);
        float keep = 1f - p;
        float[] mask = TensorArena.AllocateOutput(x.Length);
        StandoutDraws.Fill(mask, x.Data, x.Shape[0] * x.Shape[1], x.Shape[2], x.Shape[3], threshold,
            scale == StandoutScale.RelativeToPlaneMax, rng.NextUInt64(), Bernoulli.Threshold(keep), 1f / keep);
        return mask;
    }

    /// <summary><see cref="StandoutMask(Tensor, float, float, StandoutScale, Rng)"/> of the channel concatenation [a | b]
    /// (each plane's magnitudes are its own), made part by part without the concatenation: the same values and draws, for
    /// <see cref="Ops.ConcatConv2dSame3x3"/>'s input scale.</summary>
    public static float[] StandoutMask(Tensor a, Tensor b, float p, float threshold, StandoutScale scale, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (!(p >= 0f && p < 1f)) throw new ArgumentOutOfRangeException(nameof(p), p, "Standout needs 0 <= p < 1.");
        CheckStandout(a, threshold, scale);
        CheckStandout(b, threshold, scale);
        if (a.Shape[0] != b.Shape[0] || a.Shape[2] != b.Shape[2] || a.Shape[3] != b.Shape[3])
            throw new ArgumentException($"Standout: parts [{string.Join(", ", a.Shape)}] and [{string.Join(", ", b.Shape)}] do not match outside dim 1.");
        int n = a.Shape[0], ca = a.Shape[1], cb = b.Shape[1], h = a.Shape[2], w = a.Shape[3];
        float keep = 1f - p;
        float[] mask = TensorArena.AllocateOutput(a.Length + b.Length);
        ulong key = rng.NextUInt64();
        uint t = Bernoulli.Threshold(keep);
        bool relative = scale == StandoutScale.RelativeToPlaneMax;
        for (int img = 0; img < n; img++)
        {
            StandoutDraws.Fill(mask, img * (ca + cb), a.Data, img * ca, ca, h, w, threshold, relative, key, t, 1f / keep);
            StandoutDraws.Fill(mask, img * (ca + cb) + ca, b.Data, img * cb, cb, h, w, threshold, relative, key, t, 1f / keep);
        }

        return mask;
    }

    private static void CheckStandout(Tensor x, float threshold, StandoutScale scale)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 4) throw new ArgumentException($"Standout needs [N, C, H, W], got [{string.Join(", ", x.Shape)}].");
        if (!(threshold >= 0f) || float.IsInfinity(threshold)) throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "threshold must be a finite number >= 0.");
        if (!Enum.IsDefined(scale)) throw new ArgumentOutOfRangeException(nameof(scale), scale, "Unknown standout scale.");
    }

    /// <summary>The plain composition <see cref="Standout"/> replaces, through general ops: the keep mask from
    /// <see cref="Ops.ForwardDifference"/>, <see cref="Ops.Mul"/> and <see cref="Ops.Add"/> (then √ and the comparison,
    /// element by element: the mask has no gradient), and x ⊙ keep + <see cref="Ops.Dropout"/>(x) ⊙ (1 − keep). With
    /// the same <paramref name="rng"/> state it draws the same mask, so values and gradients equal <see cref="Standout"/>'s
    /// exactly (each unit takes one of the two terms, the other is 0).</summary>
    public static Tensor StandoutComposed(Tensor x, float p, float threshold, StandoutScale scale, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(rng);
        if (x.Rank != 4) throw new ArgumentException($"StandoutComposed needs [N, C, H, W], got [{string.Join(", ", x.Shape)}].");
        int plane = x.Shape[2] * x.Shape[3];
        float[] keep, rest;
        using (Autograd.NoGradOnThisThread())
        {
            Tensor dx = Ops.ForwardDifference(x, horizontal: true), dy = Ops.ForwardDifference(x, horizontal: false);
            keep = (float[])Ops.Add(Ops.Mul(dx, dx), Ops.Mul(dy, dy)).Data.Clone();
        }

        rest = new float[keep.Length];
        for (int start = 0; start < keep.Length; start += plane)
        {
            float max = 0f;
            for (int k = start; k < start + plane; k++)
            {
                keep[k] = MathF.Sqrt(keep[k]);
                max = Math.Max(max, keep[k]);
            }

            float limit = scale == StandoutScale.RelativeToPlaneMax ? (max > 0f ? threshold * max : float.PositiveInfinity) : threshold;
            for (int k = start; k < start + plane; k++)
            {
                keep[k] = keep[k] >= limit ? 1f : 0f;
                rest[k] = 1f - keep[k];
            }
        }

        return Ops.Add(Ops.Mul(x, Tensor.StepConstant(keep, x.Shape)), Ops.Mul(Ops.Dropout(x, p, rng), Tensor.StepConstant(rest, x.Shape)));
    }
}
