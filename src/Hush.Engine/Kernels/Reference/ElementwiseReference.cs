namespace Hush.Engine.Kernels.Reference;

/// <summary>Scalar twins of the elementwise, reduction and channel kernels. Buffers are flat [n]; backward accumulates.</summary>
internal static class ElementwiseReference
{
    public static float[] Map(float[] a, Func<float, float> f)
    {
        var y = new float[a.Length];
        for (int i = 0; i < a.Length; i++) y[i] = f(a[i]);
        return y;
    }

    public static float[] Zip(float[] a, float[] b, Func<float, float, float> f)
    {
        var y = new float[a.Length];
        for (int i = 0; i < a.Length; i++) y[i] = f(a[i], b[i]);
        return y;
    }

    public static float LeakyRelu(float x, float slope) => x > 0f ? x : slope * x;

    public static float LeakyReluGrad(float x, float slope) => x > 0f ? 1f : slope;

    public static float Sigmoid(float x) => (float)(1.0 / (1.0 + Math.Exp(-x)));

    public static float Clamp(float x, float lo, float hi) => Math.Min(Math.Max(x, lo), hi);

    public static float ClampGrad(float x, float lo, float hi) => x > lo && x < hi ? 1f : 0f;

    public static double Sum(float[] x)
    {
        double s = 0;
        foreach (float v in x) s += v;
        return s;
    }

    public static double Mse(float[] a, float[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += ((double)a[i] - b[i]) * ((double)a[i] - b[i]);
        return s / a.Length;
    }

    public static double L1(float[] a, float[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += Math.Abs((double)a[i] - b[i]);
        return s / a.Length;
    }

    // y[N, count, H, W] = x[N, C, H, W][:, start:start+count]
    public static float[] SliceChannels(float[] x, int n, int c, int plane, int start, int count)
    {
        var y = new float[n * count * plane];
        for (int b = 0; b < n; b++)
        for (int k = 0; k < count; k++)
        for (int p = 0; p < plane; p++)
            y[(b * count + k) * plane + p] = x[(b * c + start + k) * plane + p];
        return y;
    }
}
