namespace Hush.Denoising.Methods.Noise2Fast;

/// <summary>One half-image of the chequerboard downsampling, row-major.</summary>
internal readonly record struct HalfImage(float[] Data, int Height, int Width);

/// <summary>Noise2Fast's chequerboard downsampling (the official code's four loops): the image, cropped to even
/// sizes, splits into two half-height images (each takes one pixel of every vertical 2-pixel cell, alternating by
/// column; the other takes the complement) and two half-width images (the same along rows). Partners are
/// neighbours with independent noise, so each predicts the other.</summary>
internal static class Noise2FastSplit
{
    /// <summary>The two half-height images (H/2 × W): the first takes the lower pixel of each cell in even columns and
    /// the upper one in odd columns; the second the complement. An odd last row or column is left out.</summary>
    public static (HalfImage A, HalfImage B) Horizontal(ReadOnlySpan<float> plane, int height, int width)
    {
        int h = height / 2, w = width / 2 * 2;
        var a = new float[h * w];
        var b = new float[h * w];
        for (int i = 0; i < h; i++)
            for (int j = 0; j < w; j++)
            {
                int upper = 2 * i * width + j, lower = upper + width;
                bool even = j % 2 == 0;
                a[i * w + j] = plane[even ? lower : upper];
                b[i * w + j] = plane[even ? upper : lower];
            }
        return (new HalfImage(a, h, w), new HalfImage(b, h, w));
    }

    /// <summary>The two half-width images (H × W/2): the first takes the right pixel of each cell in even rows and the
    /// left one in odd rows; the second the complement. An odd last row or column is left out.</summary>
    public static (HalfImage A, HalfImage B) Vertical(ReadOnlySpan<float> plane, int height, int width)
    {
        int h = height / 2 * 2, w = width / 2;
        var a = new float[h * w];
        var b = new float[h * w];
        for (int i = 0; i < h; i++)
            for (int j = 0; j < w; j++)
            {
                int left = i * width + 2 * j, right = left + 1;
                bool even = i % 2 == 0;
                a[i * w + j] = plane[even ? right : left];
                b[i * w + j] = plane[even ? left : right];
            }
        return (new HalfImage(a, h, w), new HalfImage(b, h, w));
    }

    /// <summary>The four (input, target) training pairs in the official list's order: horizontal B→A, A→B, then
    /// vertical A→B, B→A.</summary>
    public static (HalfImage Input, HalfImage Target)[] Pairs(ReadOnlySpan<float> plane, int height, int width)
    {
        var (ha, hb) = Horizontal(plane, height, width);
        var (va, vb) = Vertical(plane, height, width);
        return [(hb, ha), (ha, hb), (va, vb), (vb, va)];
    }
}
