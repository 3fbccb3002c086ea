namespace Hush.Denoising.Methods.Bm3d;

/// <summary>CBM3D's colour handling: RGB to the opponent space Y = (R+G+B)/3, U = (R−B)/2, V = (R−2G+B)/4 (the
/// reference code's default "opp"), where the first channel carries most of the signal and is used for matching;
/// i.i.d. noise of deviation σ per RGB channel becomes σ·‖row‖ per opponent channel.</summary>
internal static class ColourTransform
{
    /// <summary>‖row‖ of each opponent channel: √(1/3), √(1/2), √(3/8).</summary>
    public static readonly float[] NoiseScale = [(float)Math.Sqrt(1.0 / 3), (float)Math.Sqrt(0.5), (float)Math.Sqrt(0.375)];

    // planar RGB [3, n] → planar YUV [3, n].
    public static float[] ToOpponent(float[] rgb, int n)
    {
        var o = new float[rgb.Length];
        for (int i = 0; i < n; i++)
        {
            float r = rgb[i], g = rgb[n + i], b = rgb[2 * n + i];
            o[i] = (r + g + b) / 3f;
            o[n + i] = (r - b) / 2f;
            o[2 * n + i] = (r - 2 * g + b) / 4f;
        }
        return o;
    }

    // The exact inverse: R = Y + U + 2V/3, G = Y − 4V/3, B = Y − U + 2V/3.
    public static float[] FromOpponent(float[] yuv, int n)
    {
        var o = new float[yuv.Length];
        for (int i = 0; i < n; i++)
        {
            float y = yuv[i], u = yuv[n + i], v = yuv[2 * n + i];
            o[i] = y + u + 2f * v / 3f;
            o[n + i] = y - 4f * v / 3f;
            o[2 * n + i] = y - u + 2f * v / 3f;
        }
        return o;
    }
}
