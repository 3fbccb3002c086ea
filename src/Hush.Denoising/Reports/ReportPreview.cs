using Hush.Imaging;

namespace Hush.Denoising.Reports;

/// <summary>How the report page shows an image: which colour channels (RGB as it is; any other count shows its first
/// channel in grey) and which sample range maps to black and white. Noisy and denoised images are shown with the same
/// view, so the comparison slider compares like with like.</summary>
internal sealed record ReportView(int[] Channels, double Low, double High)
{
    /// <summary>The view for a noisy image and its denoised twin: [0,1] (the library's units) when every noisy sample
    /// lies within it, else the noisy image's own min..max, so data in other units still shows contrast.</summary>
    public static ReportView For(Image noisy)
    {
        int[] channels = noisy.Channels == 3 ? [0, 1, 2] : [0];
        double low = double.PositiveInfinity, high = double.NegativeInfinity;
        foreach (int c in channels)
            foreach (float v in noisy.Plane(c))
            {
                if (!float.IsFinite(v)) continue;
                low = Math.Min(low, v);
                high = Math.Max(high, v);
            }
        if (!(low >= 0 && high <= 1) && high > low) return new ReportView(channels, low, high);
        return new ReportView(channels, 0, 1);
    }

    /// <summary>A sentence for the page when not every channel is shown; else null.</summary>
    public string? ChannelNote(Image image) => image.Channels == Channels.Length ? null
        : $"the image has {image.Channels} channels; the previews show channel 1 in grey";

    /// <summary>A sentence for the page when the range is not [0,1]; else null.</summary>
    public string? RangeNote => Low == 0 && High == 1 ? null
        : FormattableString.Invariant($"samples {Low:G4} to {High:G4} are shown as black to white (the noisy image's range)");
}

/// <summary>Renders the report's 8-bit previews: a rectangle of an image, box-averaged by an integer factor, mapped
/// through a <see cref="ReportView"/>, as a PNG data URI written by Hush's own encoder.</summary>
internal static class ReportPreview
{
    /// <summary>The smallest integer factor that brings the long side to at most <paramref name="maxSide"/>.</summary>
    public static int DownscaleFactor(int width, int height, int maxSide) =>
        Math.Max(1, (Math.Max(width, height) + maxSide - 1) / maxSide);

    /// <summary>The rectangle (x, y, width, height) of <paramref name="source"/>, each output pixel the mean of a
    /// <paramref name="factor"/>² block (smaller at the right and bottom edges), shown through <paramref name="view"/>.</summary>
    public static Image Render(Image source, ReportView view, int x, int y, int width, int height, int factor = 1)
    {
        int outWidth = (width + factor - 1) / factor, outHeight = (height + factor - 1) / factor;
        var data = new float[(long)view.Channels.Length * outWidth * outHeight];
        double scale = 1 / (view.High - view.Low);
        for (int k = 0; k < view.Channels.Length; k++)
        {
            var plane = source.Plane(view.Channels[k]);
            for (int oy = 0; oy < outHeight; oy++)
                for (int ox = 0; ox < outWidth; ox++)
                {
                    int y0 = y + oy * factor, y1 = Math.Min(y + height, y0 + factor);
                    int x0 = x + ox * factor, x1 = Math.Min(x + width, x0 + factor);
                    double sum = 0;
                    for (int yy = y0; yy < y1; yy++)
                        for (int xx = x0; xx < x1; xx++)
                            sum += plane[yy * source.Width + xx];
                    double mean = sum / ((y1 - y0) * (x1 - x0));
                    data[((long)k * outHeight + oy) * outWidth + ox] = (float)Math.Clamp((mean - view.Low) * scale, 0, 1);
                }
        }
        return new Image(outWidth, outHeight, view.Channels.Length, data);
    }

    /// <summary><paramref name="shown"/> (1 or 3 channels in [0,1]) as an 8-bit PNG data URI.</summary>
    public static string DataUri(Image shown)
    {
        using var png = new MemoryStream();
        PngEncoder.Encode(shown, png, bitDepth: 8);
        return "data:image/png;base64," + Convert.ToBase64String(png.GetBuffer(), 0, (int)png.Length);
    }
}
