namespace Hush.Engine.Kernels;

/// <summary>Cropping the last two dims of [planes, h, w] (pure row copies: the implementation is its own twin).</summary>
internal static class Crop
{
    // y[p, i, j] = x[p, top + i, left + j];  x [planes, h, w], y [planes, ho, wo]
    public static void Forward(float[] y, float[] x, int planes, int h, int w, int top, int left, int ho, int wo)
    {
        Par.For(planes * ho, (r0, r1) =>
        {
            for (int r = r0; r < r1; r++)
            {
                int p = r / ho, i = r % ho;
                x.AsSpan((p * h + top + i) * w + left, wo).CopyTo(y.AsSpan(r * wo, wo));
            }
        });
    }

    // dx[p, top + i, left + j] += dy[p, i, j]  (the cropped-off frame gets no gradient)
    public static void Backward(float[] dx, float[] dy, int planes, int h, int w, int top, int left, int ho, int wo)
    {
        Par.For(planes * ho, (r0, r1) =>
        {
            for (int r = r0; r < r1; r++)
            {
                int p = r / ho, i = r % ho;
                var d = dx.AsSpan((p * h + top + i) * w + left, wo);
                System.Numerics.Tensors.TensorPrimitives.Add(d, dy.AsSpan(r * wo, wo), d);
            }
        });
    }
}
