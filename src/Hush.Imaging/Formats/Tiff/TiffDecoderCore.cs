namespace Hush.Imaging.Formats.Tiff;

/// <summary>
/// Reads a whole TIFF or BigTIFF: walks the IFD chain (stopping at loops and at the page limit), parses and
/// checks every page, picks the series and its axes, checks the total size against the limits, and only then
/// allocates the stack and decodes the pages into it.
/// </summary>
internal sealed class TiffDecoderCore(DecoderLimits limits)
{
    /// <summary>The stack's description (axes, shape, sample type, metadata) from the IFDs alone, without decoding.</summary>
    public ImageStackInfo Identify(byte[] file)
    {
        var (header, _, series) = ReadSeries(file);
        return new ImageStackInfo(series.Axes, series.Shape, series.Pages[0].SampleType, MetadataOf(header, series));
    }

    /// <summary>As <see cref="Identify(byte[])"/>, for a file read through <paramref name="reader"/> (e.g. mapped)
    /// whose first bytes are <paramref name="start"/>.</summary>
    public ImageStackInfo Identify(byte[] start, TiffByteReader reader)
    {
        var header = TiffHeader.Read(start);
        var series = TiffSeriesBuilder.Build(ReadPages(reader, header));
        return new ImageStackInfo(series.Axes, series.Shape, series.Pages[0].SampleType, MetadataOf(header, series));
    }

    public ImageStack Decode(byte[] file)
    {
        var (header, reader, series) = ReadSeries(file);
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

        var compressed = series.Pages.Where(p => p.Compression != 1).ToList();
        ThrowHelper.CheckInflation("TIFF", compressed.Sum(p => p.DecodedBytes), compressed.Sum(p => p.BlockByteCounts.Sum()), limits);

        var data = new float[samples];
        double[]? exact = first.SampleType.NeedsExactData() ? new double[samples] : null;
        long start = 0;
        foreach (var page in series.Pages)
        {
            TiffPageDecoder.Decode(page, reader, data, exact, start);
            start += page.SampleCount;
        }

        return new ImageStack(series.Axes, series.Shape, first.SampleType, data, exact, MetadataOf(header, series));
    }

    private (TiffHeader Header, TiffByteReader Reader, TiffSeries Series) ReadSeries(byte[] file)
    {
        var header = TiffHeader.Read(file);
        var reader = new TiffByteReader(file, header.BigEndian);
        return (header, reader, TiffSeriesBuilder.Build(ReadPages(reader, header)));
    }

    private static StackMetadata MetadataOf(TiffHeader header, TiffSeries series)
    {
        var first = series.Pages[0];
        return new StackMetadata
        {
            Format = header.BigTiff ? "BigTIFF" : "TIFF",
            ByteOrder = header.BigEndian ? SourceByteOrder.BigEndian : SourceByteOrder.LittleEndian,
            Compression = CompressionText(first),
            Photometric = first.Photometric,
            AxesSource = series.AxesSource,
            ImageDescription = first.Description,
        };
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
