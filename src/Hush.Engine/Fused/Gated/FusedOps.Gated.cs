namespace Hush.Engine.Fused;

// The gate of Self2Self+'s gated convolutions (kernels: GatedKernels.cs beside this file). Replaces GatedComposed below
// (two SliceChannels, LeakyRelu, Sigmoid, Mul: five passes forward and five backward over the activations);
// tests/Hush.Engine.Tests/Fused/GatedTests.cs checks the two are equal.
public static partial class FusedOps
{
    /// <summary>LeakyReLU(f, slope) ⊙ sigmoid(g) for x = [f, g] [N, 2C, H, W] (features, then gates, stacked by
    /// channel as <see cref="Layers.GatedConv2d"/> stores its two convolutions) → [N, C, H, W]. One pass over x forward,
    /// one backward; values and gradients equal <see cref="GatedComposed"/> bit for bit.</summary>
    public static Tensor Gated(Tensor x, float slope)
    {
        var (n, c, plane) = GatedShape(x);
        var y = TensorArena.AllocateOutput(n * c * plane);
        GatedKernels.Forward(y, x.Data, n, c, plane, slope);
        var t = Tensor.FromRule(y, [n, c, x.Shape[2], x.Shape[3]], static (t, dy) =>
        {
            Tensor x = t.Parents[0];
            GatedKernels.Backward(x.EnsureGrad(), dy, x.Data, x.Shape[0], x.Shape[1] / 2, x.Shape[2] * x.Shape[3], t.Scalar);
        }, x);
        t.Scalar = slope;
        return t;
    }

    /// <summary>What <see cref="Gated"/> computes, through general ops: the two halves by
    /// <see cref="Ops.SliceChannels"/>, then <see cref="Ops.LeakyRelu"/>, <see cref="Ops.Sigmoid"/> and
    /// <see cref="Ops.Mul"/>.</summary>
    public static Tensor GatedComposed(Tensor x, float slope)
    {
        var (_, c, _) = GatedShape(x);
        var feature = Ops.LeakyRelu(Ops.SliceChannels(x, 0, c), slope);
        var gate = Ops.Sigmoid(Ops.SliceChannels(x, c, c));
        return Ops.Mul(feature, gate);
    }

    private static (int N, int C, int Plane) GatedShape(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 4 || x.Shape[1] % 2 != 0)
            throw new ArgumentException($"Gated needs [N, 2C, H, W] (features, then gates), got [{string.Join(", ", x.Shape)}].");
        return (x.Shape[0], x.Shape[1] / 2, x.Shape[2] * x.Shape[3]);
    }
}
