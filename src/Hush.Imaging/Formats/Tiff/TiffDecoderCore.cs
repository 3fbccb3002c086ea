namespace Hush.Imaging.Formats.Tiff;

/// <summary>
/// Reads a whole TIFF or BigTIFF: walks the IFD chain (stopping at loops and at the page limit), parses and
/// checks every page, picks the series and its axes, checks the total size against the limits, and only then
/// allocates the stack and decodes the pages into it.
/// </summary>
internal sealed class TiffDecoderCore(DecoderLimits limits)
{
    public ImageStack Decode(byte[] file)
    {
        var header = TiffHeader.Read(file);
        var reader = new TiffByteReader(file, header.BigEndian);
        var pages = ReadPages(reader, header);
        var series = TiffSeriesBuilder.Build(pages);
        var first = series.Pages[0];

        long samples = series.Shape.Aggregate(1L, (a, b) => a * b);
        long decodedBytes = series.Pages.Sum(p => p.DecodedBytes);
        long floatBytes = samples * sizeof(float);
        if (samples > Array.MaxLength)
            ThrowHelper.ThrowFormat($"TIFF image of shape ({string.Join(", ", series.Shape)}) is too large for one array");
        if (Math.Max(decodedBytes, floatBytes) > limits.MaxDecodedBytes)
            ThrowHelper.ThrowFormat($"TIFF image of shape ({string.Join(", ", series.Shape)}) needs {Math.Max(decodedBytes, floatBytes)} bytes decoded, over the limit of {limits.MaxDecodedBytes}");
        foreach (var page in series.Pages)
        {
            long blockBytes = page.RowBytes(page.BlockWidth) * page.BlockHeight;
            if (page.DecodedBytes > Array.MaxLength || blockBytes > Math.Min(Array.MaxLength, limits.MaxDecodedBytes))
                ThrowHelper.ThrowFormat($"TIFF page {page.Index} is too large to decode ({page.DecodedBytes} bytes, blocks of {blockBytes})");
        }

        var data = new float[samples];
        double[]? exact = first.SampleType.NeedsExactData() ? new double[samples] : null;
        long start = 0;
        foreach (var page in series.Pages)
        {
            TiffPageDecoder.Decode(page, reader, data, exact, start);
            start += page.SampleCount;
        }

        var metadata = new StackMetadata
        {
            Format = header.BigTiff ? "BigTIFF" : "TIFF",
            ByteOrder = header.BigEndian ? SourceByteOrder.BigEndian : SourceByteOrder.LittleEndian,
            Compression = CompressionText(first),
            Photometric = first.Photometric,
            AxesSource = series.AxesSource,
            ImageDescription = first.Description,
        };
        return new ImageStack(series.Axes, series.Shape, first.SampleType, data, exact, metadata);
    }

    private List<TiffPage> ReadPages(TiffByteReader reader, TiffHeader header)
    {
        if (header.FirstIfdOffset == 0)
            ThrowHelper.ThrowFormat("TIFF file has no images (first IFD offset is 0)");
        var pages = new List<TiffPage>();
        var visited = new HashSet<long>();
        long offset = header.FirstIfdOffset;
        while (offset != 0)
        {
            if (!visited.Add(offset))
                ThrowHelper.ThrowFormat($"TIFF IFD chain loops: IFD {pages.Count} would revisit offset {offset}");
            if (pages.Count >= limits.MaxPages)
                ThrowHelper.ThrowFormat($"TIFF file has more than {limits.MaxPages} pages (IFDs), over the limit");
            var ifd = TiffDirectory.Read(reader, offset, header.BigTiff);
            pages.Add(TiffPageParser.Parse(ifd, pages.Count, reader, limits));
            offset = ifd.NextOffset;
        }
        return pages;
    }

    private static string CompressionText(TiffPage page)
    {
        string name = TiffCompressionCode.Name(page.Compression);
        return page.Predictor == 1 ? name : $"{name}, predictor {page.Predictor}";
    }
}
