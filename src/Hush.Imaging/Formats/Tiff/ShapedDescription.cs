using System.Text.Json;

namespace Hush.Imaging.Formats.Tiff;

/// <summary>
/// tifffile's "shaped" description: JSON such as <c>{"axes": "ZYX", "shape": [5, 19, 31]}</c> giving the full
/// array shape (page axes included). Used when the shape ends with the page shape and covers whole pages;
/// without "axes" the leading axes are Q (unknown), as tifffile names them.
/// </summary>
internal static class ShapedDescription
{
    public static DescribedAxes? TryAxes(string description, int pageCount, string pageAxes, int[] pageShape)
    {
        if (!description.TrimStart().StartsWith('{'))
            return null;
        int[] shape;
        string? axes;
        try
        {
            using var json = JsonDocument.Parse(description, new JsonDocumentOptions { MaxDepth = 8 });
            if (json.RootElement.ValueKind != JsonValueKind.Object || !json.RootElement.TryGetProperty("shape", out var shapeElement)
                || shapeElement.ValueKind != JsonValueKind.Array || shapeElement.GetArrayLength() > 32)
                return null;
            shape = [.. shapeElement.EnumerateArray().Select(e => e.TryGetInt32(out int v) ? v : -1)];
            axes = json.RootElement.TryGetProperty("axes", out var axesElement) && axesElement.ValueKind == JsonValueKind.String
                ? axesElement.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }

        int lead = shape.Length - pageShape.Length;
        if (lead < 0 || shape.Any(s => s < 1) || !shape[lead..].SequenceEqual(pageShape))
            return null;
        long planes = shape[..lead].Aggregate(1L, (a, b) => a * b);
        if (planes > pageCount)
            return null;
        bool axesValid = axes != null && axes.Length == shape.Length && axes.All(c => c is >= 'A' and <= 'Z')
            && axes.Distinct().Count() == axes.Length && axes.Contains('Y') && axes.Contains('X');
        string names = axesValid ? axes! : new string('Q', lead) + pageAxes;
        if (!axesValid && lead > 1)
            return null; // several unnamed leading axes would repeat Q; fall back to one I axis
        return new DescribedAxes(names, shape, (int)planes, "tifffile", ReplacesPageAxes: true);
    }
}
