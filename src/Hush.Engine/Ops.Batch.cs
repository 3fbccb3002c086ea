using System.Numerics.Tensors;

namespace Hush.Engine;

// Batch-dimension ops: ZS-N2N runs its two sub-images through the network as one batch of two, so every convolution
// is called once per application instead of twice (half the per-call transforms and thread hand-offs).
public static partial class Ops
{
    /// <summary>ZS-N2N's pair downsampler: [N, C, H, W] → [2N, C, ⌊H/2⌋, ⌊W/2⌋], the first N images averaging each
    /// 2×2 block's anti-diagonal, the last N its main diagonal (odd last rows/columns dropped).</summary>
    public static Tensor DiagonalPairs(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 4 || x.Shape[2] < 2 || x.Shape[3] < 2)
            throw new ArgumentException($"DiagonalPairs needs [N, C, H, W] with H, W >= 2, got [{string.Join(", ", x.Shape)}].");
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        var y = TensorArena.AllocateOutput(checked(2 * n * c * (h / 2) * (w / 2)));
        Kernels.DiagonalPairs.Forward(y, x.Data, n, c, h, w);
        return Tensor.FromRule(y, [2 * n, c, h / 2, w / 2], static (t, dy) =>
        {
            Tensor x = t.Parents[0];
            Kernels.DiagonalPairs.Backward(x.EnsureGrad(), dy, x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3]);
        }, x);
    }

    /// <summary>x[start : start + count] along dim 0 (a copy).</summary>
    public static Tensor SliceBatch(Tensor x, int start, int count)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank < 1) throw new ArgumentException("SliceBatch needs a tensor with a batch dimension.");
        int n = x.Shape[0];
        if (start < 0 || count < 1 || start + count > n)
            throw new ArgumentOutOfRangeException(nameof(start), $"Batch [{start}, {start + count}) out of range for {n} items.");
        int item = x.Length / n;
        Span<int> shape = stackalloc int[x.Rank];
        x.Shape.CopyTo(shape);
        shape[0] = count;
        var y = TensorArena.AllocateOutput(count * item);
        Array.Copy(x.Data, start * item, y, 0, count * item);
        var t = Tensor.FromRule(y, shape, static (t, dy) =>
        {
            Tensor x = t.Parents[0];
            int item = x.Length / x.Shape[0];
            AddInto(x.EnsureGrad().AsSpan((int)t.Scalar * item, dy.Length), dy);
        }, x);
        t.Scalar = start; // a batch index: exact in a float
        return t;
    }

    /// <summary>[2N, …] → the two halves of dim 0 swapped: y[0:N] = x[N:2N], y[N:2N] = x[0:N].</summary>
    public static Tensor SwapBatchHalves(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank < 1 || x.Shape[0] % 2 != 0)
            throw new ArgumentException($"SwapBatchHalves needs an even batch size, got [{string.Join(", ", x.Shape)}].");
        int half = x.Length / 2;
        var y = TensorArena.AllocateOutput(x.Length);
        Array.Copy(x.Data, half, y, 0, half);
        Array.Copy(x.Data, 0, y, half, half);
        return Tensor.FromRule(y, x.Shape, static (t, dy) =>
        {
            float[] dx = t.Parents[0].EnsureGrad();
            int half = dx.Length / 2;
            AddInto(dx.AsSpan(0, half), dy.AsSpan(half, half));
            AddInto(dx.AsSpan(half, half), dy.AsSpan(0, half));
        }, x);
    }

    // dst += src (the gradient rules of the copies above)
    private static void AddInto(Span<float> dst, ReadOnlySpan<float> src) => TensorPrimitives.Add(dst, src, dst);
}
