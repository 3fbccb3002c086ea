using Hush.Engine.Kernels;
using Hush.Engine.Kernels.Winograd;

namespace Hush.Engine;

public static partial class Ops
{
    /// <summary><see cref="Conv2dSame3x3"/> of the channel concatenation [a | b] (a [N, Ca, H, W], b [N, Cb, H, W], w
    /// [Cout, Ca + Cb, 3, 3]): Conv2dSame3x3(ConcatChannels(a, b), …) as one op. On the Winograd path the convolution reads
    /// a and b straight into its padded copy and its backward pass writes each part's gradient where it lies, so the
    /// concatenated tensor and its backward split (a full write and read of a U-Net decoder stage's input each way) are
    /// never made; elsewhere it is that composition. The same values and gradients bit for bit: only copies are saved.
    /// <paramref name="inputScale"/> has the concatenation's shape (e.g. <see cref="DropoutMask(int, float, Rng)"/> of its
    /// length).</summary>
    public static Tensor ConcatConv2dSame3x3(Tensor a, Tensor b, Tensor w, Tensor? bias, PadMode mode, float? leakySlope = null,
        float[]? inputScale = null)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(w);
        if (a.Rank != 4 || b.Rank != 4 || a.Shape[0] != b.Shape[0] || a.Shape[2] != b.Shape[2] || a.Shape[3] != b.Shape[3])
            throw new ArgumentException($"ConcatConv2dSame3x3: parts [{string.Join(", ", a.Shape)}] and [{string.Join(", ", b.Shape)}] " +
                                        "do not match outside dim 1.");
        ReadOnlySpan<int> whole = [a.Shape[0], a.Shape[1] + b.Shape[1], a.Shape[2], a.Shape[3]];
        if (w.Rank != 4 || w.Shape[1] != whole[1] || w.Shape[2] != 3 || w.Shape[3] != 3)
            throw new ArgumentException($"ConcatConv2dSame3x3 needs a [Cout, {whole[1]}, 3, 3] weight, got [{string.Join(", ", w.Shape)}].");
        if (leakySlope is float s && !(s >= 0f)) throw new ArgumentOutOfRangeException(nameof(leakySlope), s, "LeakyReLU fused into a convolution needs slope >= 0.");
        if (!Enum.IsDefined(mode)) throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown pad mode.");
        if (inputScale is not null && inputScale.Length != a.Length + b.Length)
            throw new ArgumentException($"ConcatConv2dSame3x3: the input scale has {inputScale.Length} values, the parts have {a.Length + b.Length}.");
        ConvGeometry g = ConvGeometry.Create(whole, w.Shape, bias?.Shape, 1, 1, 1, 1) with { Border = mode };
        if (!WinogradConv.Can(g, Simd.Best)) return Conv2dSame3x3(ConcatChannels(a, b), w, bias, mode, leakySlope, inputScale);

        var y = TensorArena.AllocateOutput(g.OutputLength);
        // As Conv: keep the padded copy of the input for the weight gradient unless it is big.
        bool keep = Autograd.IsEnabled && w.RequiresGrad && a.Length + b.Length <= KeepInputLimit;
        var x = new ChannelParts(a.Data, a.Shape[1], b.Data, b.Shape[1]);
        float[]? saved = WinogradConv.Forward(g, y, x, w.Data, bias?.Data, Simd.Best, leakySlope, keep, inputScale);
        Tensor t = Tensor.FromRule(y, [g.N, g.Cout, g.H, g.W], static (t, dy) =>
        {
            var r = (ConvRecord)t.State!;
            Tensor a = t.Parents[0], b = t.Parents[1], w = t.Parents[2];
            Tensor? bias = t.Parents.Length > 3 ? t.Parents[3] : null;
            float[]? reuse = r.Saved;
            r.Saved = null; // handed back to the pool by the kernel: a second backward pass must not see it
            var dX = new ChannelParts(a.RequiresGrad ? a.EnsureGrad() : null, a.Shape[1], b.RequiresGrad ? b.EnsureGrad() : null, b.Shape[1]);
            WinogradConv.Backward(r.Geometry, dX, w.RequiresGrad ? w.EnsureGrad() : null,
                bias is not null && bias.RequiresGrad ? bias.EnsureGrad() : null, dy, new ChannelParts(a.Data, a.Shape[1], b.Data, b.Shape[1]),
                w.Data, Simd.Best, r.Leaky.HasValue ? t.Data : null, r.Leaky ?? 0f, reuse, r.InputScale);
        }, a, b, w, bias);
        if (t.RequiresGrad)
        {
            var r = t.StateRecord<ConvRecord>();
            (r.Geometry, r.Leaky, r.Saved, r.InputScale) = (g, leakySlope, saved, inputScale);
        }

        return t;
    }
}
