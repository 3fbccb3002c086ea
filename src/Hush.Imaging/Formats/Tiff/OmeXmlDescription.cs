using System.Globalization;
using System.Xml;

namespace Hush.Imaging.Formats.Tiff;

/// <summary>
/// OME-TIFF: the first page's ImageDescription holds OME-XML. The first Pixels element gives DimensionOrder
/// (fastest first, e.g. XYCZT) and SizeZ/C/T; reversed, the non-XY letters give the leading axes, size-1 axes
/// dropped as tifffile does. Only the common case is read: one image whose planes are the first pages in order.
/// </summary>
internal static class OmeXmlDescription
{
    public static DescribedAxes? TryAxes(string description, int pageCount, int samplesPerPixel)
    {
        if (!description.Contains("<OME", StringComparison.Ordinal))
            return null;
        var pixels = ReadPixels(description);
        if (pixels is null)
            return null;
        var (order, sizes) = pixels.Value;
        if (order.Length != 5 || !order.StartsWith("XY", StringComparison.Ordinal) || !"CZT".All(order.Contains))
            return null;

        // For RGB pages SizeC counts the samples too; those live in the page (S axis), not in separate pages.
        if (samplesPerPixel > 1 && sizes['C'] % samplesPerPixel == 0)
            sizes['C'] /= samplesPerPixel;
        long planes = (long)sizes['C'] * sizes['Z'] * sizes['T'];
        if (planes < 1 || planes > pageCount)
            return null;

        string axes = "";
        var shape = new List<int>();
        for (int i = order.Length - 1; i >= 2; i--)
        {
            int size = sizes[order[i]];
            if (size > 1)
            {
                axes += order[i];
                shape.Add(size);
            }
        }
        return new DescribedAxes(axes, [.. shape], (int)planes, "OME-XML");
    }

    private static (string Order, Dictionary<char, int> Sizes)? ReadPixels(string xml)
    {
        // No DTDs, no external entities: the XML comes from an untrusted file.
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = 1 << 24 };
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), settings);
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "Pixels")
                    continue;
                string order = reader.GetAttribute("DimensionOrder") ?? "";
                var sizes = new Dictionary<char, int>();
                foreach (char axis in "ZCT")
                {
                    if (!int.TryParse(reader.GetAttribute("Size" + axis) ?? "1", NumberStyles.None, CultureInfo.InvariantCulture, out int size) || size < 1)
                        return null;
                    sizes[axis] = size;
                }
                return (order, sizes);
            }
        }
        catch (XmlException)
        {
            // Broken OME-XML is not fatal: the pages still decode, only without named axes.
        }
        return null;
    }
}
