namespace Hush.Engine.Fused;

// The epilogue of a partial convolution whose mask has holes (Self2Self's first layer; kernels:
// PartialEpilogueKernels.cs beside this file). Replaces PartialEpilogueComposed below (the ratio spread over every
// channel, Mul, a 1×1 Conv2d of the updated mask with the bias, Add, LeakyRelu: four passes forward and four backward
// over the activations); tests/Hush.Engine.Tests/Fused/PartialEpilogueTests.cs checks the two are equal.
public static partial class FusedOps
{
    /// <summary>act(c ⊙ ratio + bias ⊗ update) for the convolution c [N, K, H, W] of the masked input, the window ratio
    /// and the updated mask [N, 1, H, W] (constants, the same for every channel) and the bias [K, 1, 1, 1] (a 1×1
    /// convolution's weight on the updated mask, as <see cref="Layers.PartialConv2d"/> stores it); act = LeakyReLU(slope),
    /// or none when <paramref name="slope"/> is null. One pass forward, one backward. Values and c's gradient equal
    /// <see cref="PartialEpilogueComposed"/> bit for bit; the bias gradient sums the same products in another order.</summary>
    public static Tensor PartialEpilogue(Tensor c, Tensor ratio, Tensor update, Tensor bias, float? slope)
    {
        var (n, k, plane) = PartialShape(c, ratio, update, bias);
        var y = TensorArena.AllocateOutput(c.Length);
        PartialEpilogueKernels.Forward(y, c.Data, ratio.Data, update.Data, bias.Data, n, k, plane, slope);
        var t = Tensor.FromRule(y, c.Shape, static (t, dy) =>
        {
            Tensor c = t.Parents[0], ratio = t.Parents[1], update = t.Parents[2], bias = t.Parents[3];
            float? slope = float.IsNaN(t.Scalar) ? null : t.Scalar;
            int n = c.Shape[0], k = c.Shape[1], plane = c.Shape[2] * c.Shape[3];
            PartialEpilogueKernels.Backward(c.RequiresGrad ? c.EnsureGrad() : null, bias.RequiresGrad ? bias.EnsureGrad() : null,
                dy, c.Data, ratio.Data, update.Data, bias.Data, n, k, plane, slope);
        }, c, ratio, update, bias);
        t.Scalar = slope ?? float.NaN;
        return t;
    }

    /// <summary>What <see cref="PartialEpilogue"/> computes, through general ops: the ratio copied into every channel,
    /// <see cref="Ops.Mul"/>, <see cref="Ops.Conv2d(Tensor, Tensor, Tensor?, int, int, int, int)"/> (1×1) of the updated
    /// mask with the bias, <see cref="Ops.Add"/>, then <see cref="Ops.LeakyRelu"/> when a slope is given.</summary>
    public static Tensor PartialEpilogueComposed(Tensor c, Tensor ratio, Tensor update, Tensor bias, float? slope)
    {
        var (n, k, plane) = PartialShape(c, ratio, update, bias);
        var spread = TensorArena.AllocateOutput(c.Length);
        for (int b = 0; b < n; b++)
            for (int o = 0; o < k; o++) Array.Copy(ratio.Data, b * plane, spread, (b * k + o) * plane, plane);
        var scaled = Ops.Mul(c, Tensor.StepConstant(spread, c.Shape));
        var y = Ops.Add(scaled, Ops.Conv2d(update, bias));
        return slope is float s ? Ops.LeakyRelu(y, s) : y;
    }

    private static (int N, int K, int Plane) PartialShape(Tensor c, Tensor ratio, Tensor update, Tensor bias)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(ratio);
        ArgumentNullException.ThrowIfNull(update);
        ArgumentNullException.ThrowIfNull(bias);
        if (c.Rank != 4) throw new ArgumentException($"PartialEpilogue needs c [N, K, H, W], got [{string.Join(", ", c.Shape)}].");
        int n = c.Shape[0], k = c.Shape[1], plane = c.Shape[2] * c.Shape[3];
        static bool Is(Tensor t, int d0, int d1, int d2, int d3) =>
            t.Rank == 4 && t.Shape[0] == d0 && t.Shape[1] == d1 && t.Shape[2] == d2 && t.Shape[3] == d3;
        if (!Is(ratio, n, 1, c.Shape[2], c.Shape[3]) || !Is(update, n, 1, c.Shape[2], c.Shape[3]))
            throw new ArgumentException($"PartialEpilogue needs the ratio and the updated mask as [{n}, 1, {c.Shape[2]}, {c.Shape[3]}].");
        if (!Is(bias, k, 1, 1, 1))
            throw new ArgumentException($"PartialEpilogue needs the bias as [{k}, 1, 1, 1], got [{string.Join(", ", bias.Shape)}].");
        return (n, k, plane);
    }
}
