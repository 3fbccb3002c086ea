namespace Hush.Imaging.Formats.Tiff;

/// <summary>
/// Turns an IFD into a <see cref="TiffPage"/>: applies the TIFF 6.0 defaults, rejects what this reader
/// does not support with a specific message, and checks the strip/tile tables against the file and limits.
/// </summary>
internal static class TiffPageParser
{
    public static TiffPage Parse(TiffDirectory ifd, int index, TiffByteReader reader, DecoderLimits limits)
    {
        long width = Single(ifd, reader, TiffTag.ImageWidth, null, "ImageWidth");
        long height = Single(ifd, reader, TiffTag.ImageLength, null, "ImageLength");
        ThrowHelper.CheckDimensions("TIFF", width, height, 1, limits);

        long samples = Single(ifd, reader, TiffTag.SamplesPerPixel, 1, "SamplesPerPixel");
        if (samples is < 1 or > 64)
            ThrowHelper.ThrowFormat($"TIFF SamplesPerPixel {samples} is not supported (1..64)");
        int bits = (int)Uniform(ifd, reader, TiffTag.BitsPerSample, 1, "BitsPerSample");
        int format = (int)Uniform(ifd, reader, TiffTag.SampleFormat, 1, "SampleFormat");
        var type = ToSampleType(bits, format);
        if (type == SampleType.Bool && samples != 1)
            ThrowHelper.ThrowFormat($"TIFF 1-bit images with {samples} samples per pixel are not supported");

        int compression = (int)Single(ifd, reader, TiffTag.Compression, TiffCompressionCode.None, "Compression");
        if (compression is not (TiffCompressionCode.None or TiffCompressionCode.Lzw or TiffCompressionCode.AdobeDeflate
            or TiffCompressionCode.Deflate or TiffCompressionCode.PackBits))
            ThrowHelper.ThrowFormat($"unsupported TIFF compression {TiffCompressionCode.Name(compression)}");

        int predictor = (int)Single(ifd, reader, TiffTag.Predictor, 1, "Predictor");
        CheckPredictor(predictor, type, bits);
        if (Single(ifd, reader, TiffTag.FillOrder, 1, "FillOrder") != 1)
            ThrowHelper.ThrowFormat("TIFF FillOrder 2 (least significant bit first) is not supported");

        long planar = Single(ifd, reader, TiffTag.PlanarConfiguration, 1, "PlanarConfiguration");
        if (planar is not (1 or 2))
            ThrowHelper.ThrowFormat($"TIFF PlanarConfiguration {planar} is not valid (1 or 2)");
        var photometric = ToPhotometric(ifd, reader, (int)samples, type);

        long newSubfile = Single(ifd, reader, TiffTag.NewSubfileType, 0, "NewSubfileType");
        long oldSubfile = Single(ifd, reader, TiffTag.SubfileType, 1, "SubfileType");
        string? description = ifd.Find(TiffTag.ImageDescription)?.ReadText(reader);

        var page = new TiffPage
        {
            Index = index,
            Width = (int)width,
            Height = (int)height,
            SamplesPerPixel = (int)samples,
            BitsPerSample = bits,
            SampleType = type,
            Photometric = photometric,
            Compression = compression,
            Predictor = predictor,
            Separate = planar == 2 && samples > 1,
            Tiled = false,
            BlockWidth = 1,
            BlockHeight = 1,
            BlockOffsets = [],
            BlockByteCounts = [],
            ReducedResolution = (newSubfile & 1) != 0 || oldSubfile == 2,
            Description = description,
        };
        return WithBlocks(page, ifd, reader, limits);
    }

    private static TiffPage WithBlocks(TiffPage page, TiffDirectory ifd, TiffByteReader reader, DecoderLimits limits)
    {
        bool tiled = ifd.Has(TiffTag.TileWidth) || ifd.Has(TiffTag.TileOffsets);
        long blockWidth, blockHeight;
        int offsetsTag, countsTag;
        if (tiled)
        {
            blockWidth = Single(ifd, reader, TiffTag.TileWidth, null, "TileWidth");
            blockHeight = Single(ifd, reader, TiffTag.TileLength, null, "TileLength");
            // Tiles larger than the limits cannot be legitimate and would make us allocate a huge block buffer.
            if (blockWidth <= 0 || blockHeight <= 0 || blockWidth > limits.MaxWidth || blockHeight > limits.MaxHeight
                || blockWidth * blockHeight > limits.MaxPixels)
                ThrowHelper.ThrowFormat($"TIFF tile size {blockWidth}x{blockHeight} is invalid or over the limits");
            (offsetsTag, countsTag) = (TiffTag.TileOffsets, TiffTag.TileByteCounts);
        }
        else
        {
            blockWidth = page.Width;
            long rows = Single(ifd, reader, TiffTag.RowsPerStrip, uint.MaxValue, "RowsPerStrip");
            if (rows == 0)
                ThrowHelper.ThrowFormat("TIFF RowsPerStrip is 0");
            blockHeight = Math.Min(rows, page.Height);
            (offsetsTag, countsTag) = (TiffTag.StripOffsets, TiffTag.StripByteCounts);
        }

        page = page with { Tiled = tiled, BlockWidth = (int)blockWidth, BlockHeight = (int)blockHeight };
        string kind = tiled ? "Tile" : "Strip";
        var offsetsEntry = ifd.Find(offsetsTag) ?? throw ThrowHelper.Format($"TIFF required tag {kind}Offsets ({offsetsTag}) is missing");
        long[] offsets = offsetsEntry.ReadIntegers(reader);
        if (offsets.LongLength < page.BlockCount)
            ThrowHelper.ThrowFormat($"TIFF {kind}Offsets has {offsets.Length} values but the image needs {page.BlockCount}");

        long[] counts;
        var countsEntry = ifd.Find(countsTag);
        if (countsEntry != null)
        {
            counts = countsEntry.ReadIntegers(reader);
            if (counts.LongLength < page.BlockCount)
                ThrowHelper.ThrowFormat($"TIFF {kind}ByteCounts has {counts.Length} values but the image needs {page.BlockCount}");
        }
        else if (page.Compression == TiffCompressionCode.None)
        {
            // Required by the spec, but for uncompressed data the sizes follow from the geometry.
            counts = [.. Enumerable.Range(0, (int)page.BlockCount).Select(b => TiffBlocks.DecodedSize(page, b))];
        }
        else
        {
            throw ThrowHelper.Format($"TIFF required tag {kind}ByteCounts ({countsTag}) is missing");
        }

        page = page with { BlockOffsets = offsets[..(int)page.BlockCount], BlockByteCounts = counts[..(int)page.BlockCount] };
        TiffBlocks.Check(page, reader);
        return page;
    }

    private static SampleType ToSampleType(int bits, int format) => (bits, format) switch
    {
        (1, 1) => SampleType.Bool,
        (8, 1) => SampleType.UInt8,
        (16, 1) => SampleType.UInt16,
        (16, 2) => SampleType.Int16,
        (32, 1) => SampleType.UInt32,
        (32, 2) => SampleType.Int32,
        (32, 3) => SampleType.Float32,
        (64, 3) => SampleType.Float64,
        _ => throw ThrowHelper.Format($"unsupported TIFF sample type: {bits}-bit {FormatName(format)}"),
    };

    private static string FormatName(int format) => format switch
    {
        1 => "unsigned integer",
        2 => "signed integer",
        3 => "floating point",
        4 => "undefined (SampleFormat 4)",
        _ => $"SampleFormat {format}",
    };

    private static void CheckPredictor(int predictor, SampleType type, int bits)
    {
        if (predictor == 2 && bits < 8)
            ThrowHelper.ThrowFormat($"TIFF predictor 2 with {bits}-bit samples is not supported");
        if (predictor == 3 && type.IsInteger())
            ThrowHelper.ThrowFormat("TIFF predictor 3 (floating point) on integer samples is not valid");
        if (predictor is not (1 or 2 or 3))
            ThrowHelper.ThrowFormat($"unsupported TIFF predictor {predictor}");
    }

    private static Photometric ToPhotometric(TiffDirectory ifd, TiffByteReader reader, int samples, SampleType type)
    {
        long code = Single(ifd, reader, TiffTag.Photometric, samples >= 3 ? 2 : 1, "PhotometricInterpretation");
        return code switch
        {
            0 => Photometric.MinIsWhite,
            1 => Photometric.MinIsBlack,
            2 when samples >= 3 => Photometric.Rgb,
            2 => throw ThrowHelper.Format($"TIFF RGB image has {samples} samples per pixel, needs at least 3"),
            3 => throw ThrowHelper.Format("unsupported TIFF photometric interpretation 3 (palette)"),
            4 => throw ThrowHelper.Format("unsupported TIFF photometric interpretation 4 (transparency mask)"),
            5 => throw ThrowHelper.Format("unsupported TIFF photometric interpretation 5 (CMYK)"),
            6 => throw ThrowHelper.Format("unsupported TIFF photometric interpretation 6 (YCbCr)"),
            8 or 9 or 10 => throw ThrowHelper.Format($"unsupported TIFF photometric interpretation {code} (CIELab)"),
            _ => throw ThrowHelper.Format($"unsupported TIFF photometric interpretation {code}"),
        };
    }

    /// <summary>The one value of a scalar tag, or the default when the tag is absent (null default: required).</summary>
    private static long Single(TiffDirectory ifd, TiffByteReader reader, int tag, long? fallback, string name)
    {
        var entry = ifd.Find(tag);
        if (entry is null)
            return fallback ?? throw ThrowHelper.Format($"TIFF required tag {name} ({tag}) is missing");
        if (entry.Count < 1)
            ThrowHelper.ThrowFormat($"TIFF tag {name} ({tag}) has no value");
        return entry.Count == 1 ? entry.ReadIntegers(reader)[0] : Uniform(ifd, reader, tag, fallback, name);
    }

    /// <summary>A per-sample tag whose values must all be equal (this reader does not mix sample types).</summary>
    private static long Uniform(TiffDirectory ifd, TiffByteReader reader, int tag, long? fallback, string name)
    {
        var entry = ifd.Find(tag);
        if (entry is null)
            return fallback ?? throw ThrowHelper.Format($"TIFF required tag {name} ({tag}) is missing");
        var values = entry.ReadIntegers(reader);
        if (values.Length == 0)
            ThrowHelper.ThrowFormat($"TIFF tag {name} ({tag}) has no value");
        if (values.Any(v => v != values[0]))
            ThrowHelper.ThrowFormat($"TIFF {name} differs between samples ({string.Join(", ", values.Take(8))}); mixed sample types are not supported");
        return values[0];
    }
}
