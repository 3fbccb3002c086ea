using Hush.Engine.Kernels;

namespace Hush.Engine;

// Blind2Grad's pieces (methods.md §4): batch normalisation, the squeeze-and-excitation primitives (per-plane mean and
// per-plane scaling), forward differences (the image gradient) and T-standout. The first four are primitives with
// their own gradient rules; T-standout is dropout with a data-dependent mask, a composite of Mul.
public static partial class Ops
{
    /// <summary>Batch normalisation with batch statistics (training mode) of x [N, C, H, W]: per channel,
    /// y = γ·(x − μ)/√(σ² + ε) + β with μ and the biased σ² over N·H·W; γ, β [C]. There are no running statistics:
    /// the zero-shot methods see one image, so every call (training or prediction) normalises with that image's own
    /// statistics. Gradients flow to x, γ and β (through μ and σ² too).</summary>
    public static Tensor BatchNorm2d(Tensor x, Tensor gamma, Tensor beta, float eps = 1e-5f)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(gamma);
        ArgumentNullException.ThrowIfNull(beta);
        if (x.Rank != 4) throw new ArgumentException($"BatchNorm2d needs [N, C, H, W], got [{string.Join(", ", x.Shape)}].");
        int n = x.Shape[0], c = x.Shape[1], plane = x.Shape[2] * x.Shape[3];
        if (gamma.Length != c || beta.Length != c)
            throw new ArgumentException($"BatchNorm2d: γ and β need {c} elements, got {gamma.Length} and {beta.Length}.");
        if (n * plane == 0) throw new ArgumentException("BatchNorm2d of an empty batch.");
        if (!(eps > 0f)) throw new ArgumentOutOfRangeException(nameof(eps), eps, "BatchNorm2d needs eps > 0.");
        var y = TensorArena.AllocateOutput(x.Length);
        var mean = new float[c];
        var rstd = new float[c];
        BatchNorm.Forward(y, mean, rstd, x.Data, gamma.Data, beta.Data, n, c, plane, eps);
        return Tensor.FromOp(y, x.Shape, [x, gamma, beta], dy =>
            BatchNorm.Backward(x.RequiresGrad ? x.EnsureGrad() : null, gamma.RequiresGrad ? gamma.EnsureGrad() : null,
                beta.RequiresGrad ? beta.EnsureGrad() : null, dy, x.Data, gamma.Data, mean, rstd, n, c, plane));
    }

    /// <summary>x [N, C, H, W] times s [N, C, 1, 1], every plane by its own factor (channel attention's gate).
    /// Gradients flow to both.</summary>
    public static Tensor ScaleChannels(Tensor x, Tensor s)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(s);
        if (x.Rank != 4 || s.Rank != 4 || s.Shape[0] != x.Shape[0] || s.Shape[1] != x.Shape[1] || s.Shape[2] != 1 || s.Shape[3] != 1)
            throw new ArgumentException($"ScaleChannels needs x [N, C, H, W] and s [N, C, 1, 1], got [{string.Join(", ", x.Shape)}] and [{string.Join(", ", s.Shape)}].");
        int planes = x.Shape[0] * x.Shape[1], plane = x.Shape[2] * x.Shape[3];
        var y = TensorArena.AllocateOutput(x.Length);
        ChannelBroadcast.ScaleForward(y, x.Data, s.Data, planes, plane);
        return Tensor.FromOp(y, x.Shape, [x, s], dy =>
            ChannelBroadcast.ScaleBackward(x.RequiresGrad ? x.EnsureGrad() : null, s.RequiresGrad ? s.EnsureGrad() : null,
                dy, x.Data, s.Data, planes, plane));
    }

    /// <summary>Forward difference of every plane of [N, C, H, W], same shape: horizontal x[i, j+1] − x[i, j] or
    /// vertical x[i+1, j] − x[i, j], 0 on the last column or row.</summary>
    public static Tensor ForwardDifference(Tensor x, bool horizontal)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 4 || x.Length == 0) throw new ArgumentException($"ForwardDifference needs a non-empty [N, C, H, W], got [{string.Join(", ", x.Shape)}].");
        int planes = x.Shape[0] * x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        var y = TensorArena.AllocateOutput(x.Length);
        Differences.Forward(y, x.Data, planes, h, w, horizontal);
        return Tensor.FromOp(y, x.Shape, [x], dy => Differences.Backward(x.EnsureGrad(), dy, planes, h, w, horizontal));
    }

    /// <summary>The units T-standout must keep: 1 where the spatial gradient magnitude √(dx² + dy²) of x (forward
    /// differences of its plane) is ≥ <paramref name="threshold"/> on <paramref name="scale"/>, else 0. No gradient.
    /// A plane whose magnitudes are all 0 keeps nothing under <see cref="StandoutScale.RelativeToPlaneMax"/>.</summary>
    public static float[] StandoutKeep(Tensor x, float threshold, StandoutScale scale)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 4) throw new ArgumentException($"StandoutKeep needs [N, C, H, W], got [{string.Join(", ", x.Shape)}].");
        if (!(threshold >= 0f) || float.IsInfinity(threshold)) throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "threshold must be a finite number >= 0.");
        if (!Enum.IsDefined(scale)) throw new ArgumentOutOfRangeException(nameof(scale), scale, "Unknown standout scale.");
        int planes = x.Shape[0] * x.Shape[1], h = x.Shape[2], w = x.Shape[3], plane = h * w;
        var keep = TensorArena.AllocateOutput(x.Length);
        Differences.Magnitude(keep, x.Data, planes, h, w);
        Par.For(planes, PlaneParts.For(x.Length), (p0, p1) =>
        {
            for (int p = p0; p < p1; p++)
            {
                Span<float> m = keep.AsSpan(p * plane, plane);
                float limit = threshold;
                if (scale == StandoutScale.RelativeToPlaneMax)
                {
                    float max = Math.Max(0f, System.Numerics.Tensors.TensorPrimitives.Max((ReadOnlySpan<float>)m)); // magnitudes are ≥ 0, never NaN
                    limit = max > 0f ? threshold * max : float.PositiveInfinity;
                }

                Masks.AtLeast(m, limit);
            }
        });
        return keep;
    }

    /// <summary>T-standout (Blind2Grad, Sec. 3.2): inverted dropout with rate <paramref name="p"/> whose drop decision is
    /// overruled for units whose gradient magnitude reaches the threshold (<see cref="StandoutKeep"/>): those are always
    /// kept, unscaled; the others are kept with probability 1 − p and scaled by 1/(1 − p), so every unit keeps its
    /// expectation. The draws are <see cref="Dropout"/>'s counter-based hash of one key from <paramref name="rng"/> and
    /// the element index, made for every element whatever the decision, so a seed fixes them independently of the data
    /// and of the thread count. Always active, like <see cref="Dropout"/>.</summary>
    public static Tensor Standout(Tensor x, float p, float threshold, StandoutScale scale, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (!(p >= 0f && p < 1f)) throw new ArgumentOutOfRangeException(nameof(p), p, "Standout needs 0 <= p < 1.");
        float[] mask = StandoutKeep(x, threshold, scale);
        float keep = 1f - p, factor = 1f / keep;
        float[] drawn = TensorArena.AllocateOutput(mask.Length);
        Kernels.Bernoulli.Fill(drawn, rng.NextUInt64(), Kernels.Bernoulli.Threshold(keep), factor, 0f);
        Par.Elements(mask.Length, (s, c) => Masks.OneOr(mask.AsSpan(s, c), drawn.AsSpan(s, c)));

        return Mul(x, Tensor.FromArray(mask, x.Shape));
    }
}
