using Hush.Engine.Kernels;

namespace Hush.Engine;

// Normalisation and per-plane scaling: batch normalisation with the image's own statistics, and one factor per plane
// (channel attention's gate). Primitives with their own gradient rules (Kernels/BatchNorm.cs, ChannelBroadcast.cs).
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
        var mean = TensorArena.AllocateOutput(c); // step buffers: the backward rule runs before the arena's reset
        var rstd = TensorArena.AllocateOutput(c);
        BatchNorm.Forward(y, mean, rstd, x.Data, gamma.Data, beta.Data, n, c, plane, eps);
        var t = Tensor.FromRule(y, x.Shape, static (t, dy) =>
        {
            Tensor x = t.Parents[0], gamma = t.Parents[1], beta = t.Parents[2];
            var stats = (BatchStatistics)t.State!;
            BatchNorm.Backward(x.RequiresGrad ? x.EnsureGrad() : null, gamma.RequiresGrad ? gamma.EnsureGrad() : null,
                beta.RequiresGrad ? beta.EnsureGrad() : null, dy, x.Data, gamma.Data, stats.Mean, stats.Rstd,
                x.Shape[0], x.Shape[1], x.Shape[2] * x.Shape[3]);
        }, x, gamma, beta);
        if (t.RequiresGrad)
        {
            var stats = t.StateRecord<BatchStatistics>();
            (stats.Mean, stats.Rstd) = (mean, rstd);
        }

        return t;
    }

    /// <summary>BatchNorm2d's per-channel mean and 1/σ of the forward pass, in a record reused with its node.</summary>
    private sealed class BatchStatistics
    {
        public float[] Mean = [], Rstd = [];
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
        return Tensor.FromRule(y, x.Shape, static (t, dy) =>
        {
            Tensor x = t.Parents[0], s = t.Parents[1];
            ChannelBroadcast.ScaleBackward(x.RequiresGrad ? x.EnsureGrad() : null, s.RequiresGrad ? s.EnsureGrad() : null,
                dy, x.Data, s.Data, x.Shape[0] * x.Shape[1], x.Shape[2] * x.Shape[3]);
        }, x, s);
    }
}
