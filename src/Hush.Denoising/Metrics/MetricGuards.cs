using Hush.Imaging;

namespace Hush.Denoising.Metrics;

internal static class MetricGuards
{
    public static void RequireSameShape(Image a, Image b)
    {
        if (a.Width != b.Width || a.Height != b.Height || a.Channels != b.Channels)
            throw new ArgumentException(
                $"images differ in shape: {a.Width}x{a.Height}x{a.Channels} vs {b.Width}x{b.Height}x{b.Channels}");
    }
}
