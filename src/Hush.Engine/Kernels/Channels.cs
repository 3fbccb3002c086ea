namespace Hush.Engine.Kernels;

/// <summary>Channel slicing and concatenation of NCHW tensors. Backward kernels ACCUMULATE (+=).</summary>
internal static class Channels
{
    // y[N, count, H, W] = x[N, C, H, W][:, start:start+count]      (plane = H*W)
    public static void SliceForward(float[] y, float[] x, int n, int c, int plane, int start, int count)
    {
        int block = count * plane;
        for (int i = 0; i < n; i++) Array.Copy(x, (i * c + start) * plane, y, i * block, block);
    }

    // dX[N, C, H, W][:, start:start+count] += dY[N, count, H, W]
    public static void SliceBackward(float[] dX, float[] dY, int n, int c, int plane, int start, int count)
    {
        int block = count * plane;
        for (int i = 0; i < n; i++)
        {
            Span<float> dst = dX.AsSpan((i * c + start) * plane, block);
            System.Numerics.Tensors.TensorPrimitives.Add(dst, dY.AsSpan(i * block, block), dst);
        }
    }

    // y[N, C, H, W][:, start:start+count] = x[N, count, H, W]     (ConcatChannels)
    public static void InsertForward(float[] y, float[] x, int n, int c, int plane, int start, int count)
    {
        int block = count * plane;
        for (int i = 0; i < n; i++) Array.Copy(x, i * block, y, (i * c + start) * plane, block);
    }

    // dX[N, count, H, W] += dY[N, C, H, W][:, start:start+count]
    public static void InsertBackward(float[] dX, float[] dY, int n, int c, int plane, int start, int count)
    {
        int block = count * plane;
        for (int i = 0; i < n; i++)
        {
            Span<float> dst = dX.AsSpan(i * block, block);
            System.Numerics.Tensors.TensorPrimitives.Add(dst, dY.AsSpan((i * c + start) * plane, block), dst);
        }
    }
}
