namespace Hush.Engine.Kernels;

/// <summary>A window of [N, C, H, W] planes (pure data movement; one loop per plane is the implementation and its own
/// twin). Backward ACCUMULATES (+=) into the window, leaving the rest of dX alone.</summary>
internal static class Crop
{
    // y[p, i, j] = x[p, top + i, left + j];  x [planes, h, w], y [planes, ch, cw]
    public static void Forward(float[] y, float[] x, int planes, int h, int w, int top, int left, int ch, int cw)
    {
        Par.For(planes, new Window(y, x, h, w, top, left, ch, cw));
    }

    // Forward over the planes p in [p0, p1)
    private readonly struct Window(float[] y, float[] x, int h, int w, int top, int left, int ch, int cw) : IRangeBody
    {
        public void Run(int p0, int p1)
        {
            for (int p = p0; p < p1; p++)
                for (int i = 0; i < ch; i++) Array.Copy(x, (p * h + top + i) * w + left, y, (p * ch + i) * cw, cw);
        }
    }

    // dX[p, top + i, left + j] += dY[p, i, j]
    public static void Backward(float[] dX, float[] dY, int planes, int h, int w, int top, int left, int ch, int cw)
    {
        Par.For(planes, new WindowGrad(dX, dY, h, w, top, left, ch, cw));
    }

    // Backward over the planes p in [p0, p1)
    private readonly struct WindowGrad(float[] dX, float[] dY, int h, int w, int top, int left, int ch, int cw) : IRangeBody
    {
        public void Run(int p0, int p1)
        {
            for (int p = p0; p < p1; p++)
            {
                for (int i = 0; i < ch; i++)
                {
                    var dst = dX.AsSpan((p * h + top + i) * w + left, cw);
                    System.Numerics.Tensors.TensorPrimitives.Add(dst, dY.AsSpan((p * ch + i) * cw, cw), dst);
                }
            }
        }
    }
}
