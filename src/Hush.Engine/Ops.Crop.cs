namespace Hush.Engine;

public static partial class Ops
{
    /// <summary>Removes <paramref name="top"/>, <paramref name="bottom"/>, <paramref name="left"/>,
    /// <paramref name="right"/> rows/columns from the last two dims of [N, C, H, W] (the inverse of a pad).</summary>
    public static Tensor Crop2d(Tensor x, int top, int bottom, int left, int right)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 4) throw new ArgumentException($"Crop2d needs [N, C, H, W], got [{string.Join(", ", x.Shape)}].");
        int planes = x.Shape[0] * x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        if (top < 0 || bottom < 0 || left < 0 || right < 0 || top + bottom >= h || left + right >= w)
            throw new ArgumentOutOfRangeException(nameof(top), $"Crop2d ({top}, {bottom}, {left}, {right}) does not fit {h}x{w}.");
        int ho = h - top - bottom, wo = w - left - right;
        var y = TensorArena.AllocateOutput(planes * ho * wo);
        Kernels.Crop.Forward(y, x.Data, planes, h, w, top, left, ho, wo);
        return Tensor.FromOp(y, [x.Shape[0], x.Shape[1], ho, wo], [x],
            dy => Kernels.Crop.Backward(x.EnsureGrad(), dy, planes, h, w, top, left, ho, wo));
    }
}
