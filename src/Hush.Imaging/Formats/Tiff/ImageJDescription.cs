using System.Globalization;

namespace Hush.Imaging.Formats.Tiff;

/// <summary>
/// ImageJ hyperstack metadata: an ImageDescription starting "ImageJ=" with key=value lines. Pages are stored
/// in T, Z, C order (channel fastest), so the axes are the present ones of T, Z, C (size &gt; 1), then the page axes.
/// </summary>
internal static class ImageJDescription
{
    public static bool Is(string description) => description.StartsWith("ImageJ=", StringComparison.Ordinal);

    public static DescribedAxes? TryAxes(string description, int pageCount)
    {
        if (!Is(description))
            return null;
        var values = Parse(description);
        int channels = Get(values, "channels"), slices = Get(values, "slices"), frames = Get(values, "frames");
        int images = Get(values, "images");
        if (channels < 1 || slices < 1 || frames < 1 || images < 1)
            return null;
        long planes = (long)channels * slices * frames;
        // "images" alone (no channels/slices/frames) describes a plain Z stack, as ImageJ writes it.
        if (planes == 1 && images > 1)
        {
            slices = images;
            planes = images;
        }
        if (planes != images || images > pageCount)
            return null;

        string axes = "";
        var shape = new List<int>();
        foreach (var (axis, size) in new[] { ('T', frames), ('Z', slices), ('C', channels) })
        {
            if (size > 1)
            {
                axes += axis;
                shape.Add(size);
            }
        }
        return new DescribedAxes(axes, [.. shape], images, "ImageJ");
    }

    private static Dictionary<string, string> Parse(string description)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in description.Split('\n'))
        {
            int equals = line.IndexOf('=');
            if (equals > 0)
                values.TryAdd(line[..equals].Trim(), line[(equals + 1)..].Trim());
        }
        return values;
    }

    private static int Get(Dictionary<string, string> values, string key) =>
        !values.TryGetValue(key, out string? text) ? 1
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) ? value
        : -1;
}
