using System.Globalization;
using System.Text;

namespace Hush.Imaging.Formats.Tiff;

/// <summary>
/// How a stack maps onto TIFF pages. The page is the trailing "YX" (one sample), "YXS"/"YXC" (contiguous
/// samples) or "SYX" (separate planes); every leading axis becomes pages in C order. A stack whose Y and X are
/// not trailing is first transposed so they are. The axes are written as an ImageJ hyperstack description when
/// ImageJ can hold them (leading axes an ordered subset of T, Z, C, each longer than 1; uint8, uint16 or float32;
/// one sample), else as tifffile's JSON <c>{"shape": [...], "axes": "..."}</c>, and not at all for a plain 2-D page.
/// </summary>
internal sealed record TiffWriteLayout(ImageStack Stack, int Pages, int Width, int Height, int SamplesPerPixel,
    bool Separate, int Photometric, int[] ExtraSamples, string? Description)
{
    public static TiffWriteLayout Plan(ImageStack stack)
    {
        stack = WithPageAxesLast(stack);
        string axes = stack.Axes;
        int width = stack.Width, height = stack.Height;
        int samples = 1;
        bool separate = false;
        int pageRank = 2;
        if (axes.EndsWith("YX", StringComparison.Ordinal) && axes.Length >= 3 && axes[^3] == 'S')
        {
            samples = stack.Shape[^3];
            separate = samples > 1;
            pageRank = 3;
        }
        else if (!axes.EndsWith("YX", StringComparison.Ordinal))
        {
            samples = stack.Shape[^1];
            pageRank = 3;
        }
        if (samples > 64)
            throw new ArgumentException($"TIFF pages hold at most 64 samples per pixel; axis '{(separate ? 'S' : axes[^1])}' has {samples}.", nameof(stack));
        if (stack.SampleType == SampleType.Bool && samples > 1)
            throw new ArgumentException("1-bit TIFF pages hold one sample per pixel.", nameof(stack));

        string leading = axes[..^pageRank];
        int[] leadingShape = [.. stack.Shape.Take(leading.Length)];
        int pages = leadingShape.Aggregate(1, (a, b) => checked(a * b));

        bool rgb = samples is 3 or 4;
        int photometric = rgb ? 2 : stack.Metadata.Photometric == Hush.Imaging.Photometric.MinIsWhite && samples == 1 ? 0 : 1;
        int colours = rgb ? 3 : 1;
        // Extra samples after the colours: the first is unassociated alpha (2) for RGBA and grey+alpha; more are unspecified (0).
        int[] extra = [.. Enumerable.Range(0, samples - colours).Select(i => i == 0 && samples is 2 or 4 ? 2 : 0)];

        string? description = Describe(stack, leading, leadingShape, pages, samples, pageRank);
        return new TiffWriteLayout(stack, pages, width, height, samples, separate, photometric, extra, description);
    }

    private static ImageStack WithPageAxesLast(ImageStack stack)
    {
        string axes = stack.Axes;
        bool pageLast = axes.EndsWith("YX", StringComparison.Ordinal)
            || (axes.Length >= 3 && axes[^3..^1] == "YX" && axes[^1] is 'S' or 'C');
        if (pageLast)
            return stack;
        string rest = new([.. axes.Where(a => a is not ('Y' or 'X'))]);
        return stack.Transpose(rest + "YX");
    }

    private static string? Describe(ImageStack stack, string leading, int[] leadingShape, int pages, int samples, int pageRank)
    {
        bool imageJOrder = leading.Length > 0 && IsOrderedSubset(leading, "TZC") && leadingShape.All(s => s > 1);
        bool imageJType = stack.SampleType is SampleType.UInt8 or SampleType.UInt16 or SampleType.Float32;
        if (imageJOrder && imageJType && samples == 1 && pageRank == 2)
            return ImageJ(leading, leadingShape, pages);

        // Where a reader would guess these axes from the pages alone, no description is needed.
        string pageAxes = samples == 1 ? "YX" : pageRank == 3 && stack.Axes[^1] == 'X' ? "SYX" : "YXS";
        string guessed = leading.Length == 0 ? pageAxes : "I" + pageAxes;
        if (stack.Axes == guessed && (leading.Length == 0 || pages > 1) && (samples > 1 || pageRank == 2))
            return null;
        var text = new StringBuilder("{\"shape\": [");
        text.AppendJoin(", ", stack.Shape.Select(s => s.ToString(CultureInfo.InvariantCulture)));
        text.Append("], \"axes\": \"").Append(stack.Axes).Append("\"}");
        return text.ToString();
    }

    private static string ImageJ(string leading, int[] shape, int pages)
    {
        int Size(char axis) => leading.IndexOf(axis) is var i and >= 0 ? shape[i] : 1;
        var text = new StringBuilder("ImageJ=1.11a\n");
        text.Append(CultureInfo.InvariantCulture, $"images={pages}\n");
        if (Size('C') > 1)
            text.Append(CultureInfo.InvariantCulture, $"channels={Size('C')}\n");
        if (Size('Z') > 1)
            text.Append(CultureInfo.InvariantCulture, $"slices={Size('Z')}\n");
        if (Size('T') > 1)
            text.Append(CultureInfo.InvariantCulture, $"frames={Size('T')}\n");
        // ImageJ treats a file as a hyperstack (not a plain slice series) only when told so.
        if (leading.Length > 1 || leading != "Z")
            text.Append("hyperstack=true\n");
        if (Size('C') > 1)
            text.Append("mode=grayscale\n");
        text.Append("loop=false\n");
        return text.ToString();
    }

    private static bool IsOrderedSubset(string axes, string order)
    {
        int last = -1;
        foreach (char a in axes)
        {
            int i = order.IndexOf(a);
            if (i <= last)
                return false;
            last = i;
        }
        return true;
    }
}
