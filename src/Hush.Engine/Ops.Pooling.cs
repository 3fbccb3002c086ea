using Hush.Engine.Kernels;

namespace Hush.Engine;

// General pooling (PaQ-2-PiQ: a ResNet-18 body's 3×3 stride-2 max-pool, torchvision's RoIPool and the head's
// adaptive max/avg pooling to 1×1). Gradients of maxima go to the one input each maximum came from.
public static partial class Ops
{
    /// <summary>k×k max-pooling with <paramref name="stride"/> and <paramref name="padding"/> of [N, C, H, W] →
    /// [N, C, (H + 2p − k)/s + 1, (W + 2p − k)/s + 1] (PyTorch's <c>max_pool2d</c>, ceil_mode off: padded positions
    /// never win). The gradient goes to the first maximum of each window in scan order (NaN counts as the maximum).</summary>
    public static Tensor MaxPool2d(Tensor x, int kernel, int stride, int padding)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (kernel < 1 || stride < 1 || padding < 0 || padding > kernel / 2)
            throw new ArgumentException($"MaxPool2d needs kernel >= 1, stride >= 1 and 0 <= padding <= kernel/2 (got {kernel}, {stride}, {padding}).");
        if (x.Rank != 4 || x.Shape[2] + 2 * padding < kernel || x.Shape[3] + 2 * padding < kernel)
            throw new ArgumentException($"MaxPool2d({kernel}, pad {padding}) needs [N, C, H, W] with H, W >= {kernel - 2 * padding}, got [{string.Join(", ", x.Shape)}].");
        int planes = x.Shape[0] * x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        ReadOnlySpan<int> shape = [x.Shape[0], x.Shape[1], Pooling.OutputSize(h, kernel, stride, padding), Pooling.OutputSize(w, kernel, stride, padding)];
        int length = Tensor.CheckedLength(shape);
        var y = TensorArena.AllocateOutput(length);
        var arg = TensorArena.AllocateOutput(length); // window position (i*k + j) of each maximum
        Pooling.MaxForward(y, arg, x.Data, planes, h, w, kernel, stride, padding);
        var t = Tensor.FromRule(y, shape, static (t, dy) =>
        {
            Tensor x = t.Parents[0];
            var r = (PoolWindow)t.State!;
            Pooling.MaxBackward(x.EnsureGrad(), dy, r.Arg, x.Shape[0] * x.Shape[1], x.Shape[2], x.Shape[3], r.Kernel, r.Stride, r.Padding);
        }, x);
        if (t.RequiresGrad)
        {
            var r = t.StateRecord<PoolWindow>();
            (r.Arg, r.Kernel, r.Stride, r.Padding) = (arg, kernel, stride, padding);
        }

        return t;
    }

    /// <summary>MaxPool2d's window and where each maximum came from, in a record reused with its node.</summary>
    private sealed class PoolWindow
    {
        public float[] Arg = [];
        public int Kernel, Stride, Padding;
    }

    /// <summary>RoI max-pooling of [N, C, H, W] over one box → [N, C, bins, bins], torchvision's
    /// <c>RoIPool((bins, bins), spatialScale)</c> with the box (x1, y1, x2, y2) (input-image coordinates) applied to
    /// every batch item: the box is scaled and rounded to feature cells, its end cell included, and split into bins
    /// whose cell ranges are floored/ceiled (neighbouring bins can share cells); an empty bin gives 0. The gradient
    /// goes to the first maximum of each bin in scan order.</summary>
    public static Tensor RoiMaxPool2d(Tensor x, float x1, float y1, float x2, float y2, float spatialScale, int bins)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 4) throw new ArgumentException($"RoiMaxPool2d needs [N, C, H, W], got [{string.Join(", ", x.Shape)}].");
        if (bins < 1) throw new ArgumentOutOfRangeException(nameof(bins), bins, "RoiMaxPool2d needs bins >= 1.");
        if (!(spatialScale > 0f) || !float.IsFinite(spatialScale) || !float.IsFinite(x1) || !float.IsFinite(y1) || !float.IsFinite(x2) || !float.IsFinite(y2))
            throw new ArgumentException("RoiMaxPool2d needs a finite box and a finite spatial scale > 0.");
        int planes = x.Shape[0] * x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        var rows = Pooling.RoiBins(y1, y2, spatialScale, bins, h);
        var cols = Pooling.RoiBins(x1, x2, spatialScale, bins, w);
        int length = planes * bins * bins;
        var y = TensorArena.AllocateOutput(length);
        var arg = TensorArena.AllocateOutput(length); // index in the plane of each maximum, −1 for an empty bin
        Pooling.RoiMaxForward(y, arg, x.Data, planes, h, w, rows, cols);
        return Tensor.FromOp(y, [x.Shape[0], x.Shape[1], bins, bins], [x],
            dy => Pooling.RoiMaxBackward(x.EnsureGrad(), dy, arg, planes, h, w, bins * bins));
    }

    /// <summary>Maximum of each plane of [N, C, H, W] → [N, C, 1, 1] (PyTorch's <c>adaptive_max_pool2d(x, 1)</c>); the
    /// gradient goes to the first maximum (NaN counts as the maximum).</summary>
    public static Tensor GlobalMaxPool2d(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 4 || x.Shape[2] < 1 || x.Shape[3] < 1)
            throw new ArgumentException($"GlobalMaxPool2d needs [N, C, H, W] with H, W >= 1, got [{string.Join(", ", x.Shape)}].");
        int planes = x.Shape[0] * x.Shape[1], plane = x.Shape[2] * x.Shape[3];
        var y = TensorArena.AllocateOutput(planes);
        var arg = TensorArena.AllocateOutput(planes);
        Pooling.GlobalMaxForward(y, arg, x.Data, planes, plane);
        var t = Tensor.FromRule(y, [x.Shape[0], x.Shape[1], 1, 1], static (t, dy) =>
        {
            Tensor x = t.Parents[0];
            Pooling.GlobalMaxBackward(x.EnsureGrad(), dy, (float[])t.State!, x.Shape[0] * x.Shape[1], x.Shape[2] * x.Shape[3]);
        }, x);
        t.State = arg; // the step buffer itself: nothing to allocate
        return t;
    }

    /// <summary>Mean of each plane of [N, C, H, W] → [N, C, 1, 1] (PyTorch's <c>adaptive_avg_pool2d(x, 1)</c>).</summary>
    public static Tensor GlobalAvgPool2d(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 4 || x.Shape[2] < 1 || x.Shape[3] < 1)
            throw new ArgumentException($"GlobalAvgPool2d needs [N, C, H, W] with H, W >= 1, got [{string.Join(", ", x.Shape)}].");
        int planes = x.Shape[0] * x.Shape[1], plane = x.Shape[2] * x.Shape[3];
        var y = TensorArena.AllocateOutput(planes);
        ChannelBroadcast.MeanForward(y, x.Data, planes, plane);
        return Tensor.FromRule(y, [x.Shape[0], x.Shape[1], 1, 1], static (t, dy) =>
        {
            Tensor x = t.Parents[0];
            ChannelBroadcast.MeanBackward(x.EnsureGrad(), dy, x.Shape[0] * x.Shape[1], x.Shape[2] * x.Shape[3]);
        }, x);
    }
}
