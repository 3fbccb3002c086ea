using Hush.Imaging;

namespace Hush.Denoising.Reports;

/// <summary>A square region of the image shown enlarged in both versions.</summary>
internal sealed record ReportCrop(string Label, string Why, int X, int Y, int Side);

/// <summary>Chooses the report's zoomed crops deterministically from the denoised image: the most textured window, the
/// flattest one, and the centre. Texture is the variance of the shown channels' mean over a window of the denoised
/// image (the noisy one would rank its noise); windows are tried on a grid of half their side, ties going to the first
/// in raster order, so the same images always give the same crops.</summary>
internal static class ReportCrops
{
    /// <summary>The crop side: a quarter of the short side, kept within 32..128 pixels and within the image.</summary>
    public static int SideFor(int width, int height)
    {
        int shortSide = Math.Min(width, height);
        return Math.Min(shortSide, Math.Clamp(shortSide / 4, 32, 128));
    }

    public static ReportCrop[] Choose(Image denoised, ReportView view)
    {
        int side = SideFor(denoised.Width, denoised.Height);
        var xs = Positions(denoised.Width, side);
        var ys = Positions(denoised.Height, side);
        (int X, int Y) textured = (xs[0], ys[0]), flat = textured;
        double most = double.NegativeInfinity;
        foreach (int y in ys)
            foreach (int x in xs)
            {
                double v = Variance(denoised, view, x, y, side);
                if (v > most) (most, textured) = (v, (x, y));
            }
        double least = double.PositiveInfinity;
        foreach (int y in ys)
            foreach (int x in xs)
            {
                if ((x, y) == textured && xs.Length * ys.Length > 1) continue; // a second window when there is one
                double v = Variance(denoised, view, x, y, side);
                if (v < least) (least, flat) = (v, (x, y));
            }
        return
        [
            new("textured", "the window of highest variance in the denoised image", textured.X, textured.Y, side),
            new("flat", "the window of lowest variance in the denoised image", flat.X, flat.Y, side),
            new("centre", "the centre of the image", (denoised.Width - side) / 2, (denoised.Height - side) / 2, side),
        ];
    }

    /// <summary>Window origins along one axis: every half side, and the last one that fits.</summary>
    private static int[] Positions(int length, int side)
    {
        int step = Math.Max(1, side / 2);
        var positions = new List<int>();
        for (int p = 0; p + side <= length; p += step) positions.Add(p);
        if (positions[^1] != length - side) positions.Add(length - side);
        return [.. positions];
    }

    private static double Variance(Image image, ReportView view, int x, int y, int side)
    {
        double sum = 0, squares = 0;
        for (int yy = y; yy < y + side; yy++)
            for (int xx = x; xx < x + side; xx++)
            {
                double v = 0;
                foreach (int c in view.Channels) v += image.Data[((long)c * image.Height + yy) * image.Width + xx];
                v /= view.Channels.Length;
                sum += v;
                squares += v * v;
            }
        double n = (double)side * side, mean = sum / n;
        return squares / n - mean * mean;
    }
}
