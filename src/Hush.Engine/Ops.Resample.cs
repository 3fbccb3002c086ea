using Hush.Engine.Kernels;

namespace Hush.Engine;

// Border padding and bilinear up-sampling (the Self2Self family's U-Nets: reflect-padded convolutions, ×2 decoders).
public static partial class Ops
{
    /// <summary>Pads the last two dims of [N, C, H, W] → [N, C, H + top + bottom, W + left + right] with
    /// <paramref name="mode"/> (see <see cref="PadMode"/>; Reflect is PyTorch's 'reflect', also for pads ≥ the side,
    /// where it keeps mirroring). The gradient of every padded copy flows back to its source pixel.</summary>
    public static Tensor Pad2d(Tensor x, int top, int bottom, int left, int right, PadMode mode)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 4 || x.Shape[2] < 1 || x.Shape[3] < 1)
            throw new ArgumentException($"Pad2d needs [N, C, H, W] with H, W >= 1, got [{string.Join(", ", x.Shape)}].");
        if (top < 0 || bottom < 0 || left < 0 || right < 0)
            throw new ArgumentOutOfRangeException(nameof(top), $"Pad2d needs pads >= 0, got ({top}, {bottom}, {left}, {right}).");
        if (!Enum.IsDefined(mode)) throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown pad mode.");
        int planes = x.Shape[0] * x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        long length = (long)planes * (h + top + bottom) * (w + left + right);
        if (length > Array.MaxLength) throw new ArgumentException($"Pad2d: the padded tensor would have {length} elements.");
        var y = TensorArena.AllocateOutput((int)length);
        Pad.Forward(y, x.Data, planes, h, w, top, bottom, left, right, mode);
        // A static rule with the pads in a record the recycled node keeps: a step allocates nothing after the first.
        var t = Tensor.FromRule(y, [x.Shape[0], x.Shape[1], h + top + bottom, w + left + right], static (t, dy) =>
        {
            var r = (PadRecord)t.State!;
            Tensor x = t.Parents[0];
            Pad.Backward(x.EnsureGrad(), dy, x.Shape[0] * x.Shape[1], x.Shape[2], x.Shape[3], r.Top, r.Bottom, r.Left, r.Right, r.Mode);
        }, x);
        if (t.RequiresGrad)
        {
            var r = t.StateRecord<PadRecord>();
            (r.Top, r.Bottom, r.Left, r.Right, r.Mode) = (top, bottom, left, right, mode);
        }

        return t;
    }

    /// <summary>What Pad2d's backward rule needs besides its input (reused with its node).</summary>
    private sealed class PadRecord
    {
        public int Top, Bottom, Left, Right;
        public PadMode Mode;
    }

    /// <summary>Pads every side by <paramref name="pad"/> (a 'same' k×k convolution needs pad = k/2).</summary>
    public static Tensor Pad2d(Tensor x, int pad, PadMode mode) => Pad2d(x, pad, pad, pad, pad, mode);

    /// <summary>Bilinear ×2 up-sampling of [N, C, H, W] → [N, C, 2H, 2W], PyTorch's
    /// <c>interpolate(scale_factor=2, mode='bilinear', align_corners=False)</c>.</summary>
    public static Tensor UpsampleBilinear2x(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 4) throw new ArgumentException($"UpsampleBilinear2x needs [N, C, H, W], got [{string.Join(", ", x.Shape)}].");
        int planes = x.Shape[0] * x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        var y = TensorArena.AllocateOutput(checked(x.Length * 4));
        Bilinear.Upsample2Forward(y, x.Data, planes, h, w);
        return Tensor.FromRule(y, [x.Shape[0], x.Shape[1], 2 * h, 2 * w], static (t, dy) =>
        {
            Tensor x = t.Parents[0];
            Bilinear.Upsample2Backward(x.EnsureGrad(), dy, x.Shape[0] * x.Shape[1], x.Shape[2], x.Shape[3]);
        }, x);
    }
}
