using Hush.Engine.Kernels;

namespace Hush.Engine;

// Forward differences: the image gradient of a plane, a primitive with its own gradient rule (Kernels/Differences.cs).
public static partial class Ops
{
    /// <summary>Forward difference of every plane of [N, C, H, W], same shape: horizontal x[i, j+1] − x[i, j] or
    /// vertical x[i+1, j] − x[i, j], 0 on the last column or row.</summary>
    public static Tensor ForwardDifference(Tensor x, bool horizontal)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 4 || x.Length == 0) throw new ArgumentException($"ForwardDifference needs a non-empty [N, C, H, W], got [{string.Join(", ", x.Shape)}].");
        int planes = x.Shape[0] * x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        var y = TensorArena.AllocateOutput(x.Length);
        Differences.Forward(y, x.Data, planes, h, w, horizontal);
        var t = Tensor.FromRule(y, x.Shape, static (t, dy) =>
        {
            Tensor x = t.Parents[0];
            Differences.Backward(x.EnsureGrad(), dy, x.Shape[0] * x.Shape[1], x.Shape[2], x.Shape[3], horizontal: t.Scalar != 0f);
        }, x);
        t.Scalar = horizontal ? 1f : 0f;
        return t;
    }
}
