using Hush.Engine.Kernels;

namespace Hush.Engine;

// Spatial cropping (e.g. a network output padded to a multiple of 32 cut back to the image).
public static partial class Ops
{
    /// <summary>x[:, :, top : top + height, left : left + width] of [N, C, H, W] (a copy); the gradient flows back into
    /// that window.</summary>
    public static Tensor Crop2d(Tensor x, int top, int left, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 4) throw new ArgumentException($"Crop2d needs [N, C, H, W], got [{string.Join(", ", x.Shape)}].");
        int planes = x.Shape[0] * x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        if (top < 0 || left < 0 || height < 0 || width < 0 || top + height > h || left + width > w)
            throw new ArgumentOutOfRangeException(nameof(top), $"Crop2d window ({top}, {left}) + {height}×{width} is not inside {h}×{w}.");
        ReadOnlySpan<int> shape = [x.Shape[0], x.Shape[1], height, width];
        var y = TensorArena.AllocateOutput(Tensor.CheckedLength(shape));
        Crop.Forward(y, x.Data, planes, h, w, top, left, height, width);
        var t = Tensor.FromRule(y, shape, static (t, dy) =>
        {
            Tensor x = t.Parents[0];
            var at = (CropOrigin)t.State!;
            Crop.Backward(x.EnsureGrad(), dy, x.Shape[0] * x.Shape[1], x.Shape[2], x.Shape[3], at.Top, at.Left, t.Shape[2], t.Shape[3]);
        }, x);
        if (t.RequiresGrad)
        {
            var at = t.StateRecord<CropOrigin>();
            (at.Top, at.Left) = (top, left);
        }

        return t;
    }

    /// <summary>Where Crop2d's window starts, in a record reused with its node.</summary>
    private sealed class CropOrigin
    {
        public int Top, Left;
    }
}
