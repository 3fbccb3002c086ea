using Hush.Imaging.Formats.Tiff.Compression;

namespace Hush.Imaging.Formats.Tiff;

/// <summary>
/// Decodes one page: each strip or tile is decompressed into a block buffer, its predictor undone row by row,
/// and the rows inside the image (edge tiles are cropped) copied into the page's raw bytes. Those bytes are
/// then converted to samples, which land in C order of the page shape: (Y, X), (Y, X, S) or (S, Y, X).
/// </summary>
internal static class TiffPageDecoder
{
    public static void Decode(TiffPage page, TiffByteReader reader, float[] data, double[]? exact, long start)
    {
        long planeRowBytes = page.RowBytes(page.Width);
        var raw = new byte[page.DecodedBytes];
        int blockRowBytes = (int)page.RowBytes(page.BlockWidth);
        var block = new byte[(long)blockRowBytes * page.BlockHeight];
        var scratch = page.Predictor == 3 ? new byte[blockRowBytes] : [];
        int bitsPerPixel = page.SamplesPerBlockPixel * page.BitsPerSample;
        string kind = page.Tiled ? "tile" : "strip";

        for (int b = 0; b < page.BlockCount; b++)
        {
            var (plane, x, y, columns, rows) = TiffBlocks.Place(page, b);
            if ((long)x * bitsPerPixel % 8 != 0)
                ThrowHelper.ThrowFormat($"TIFF tile width {page.BlockWidth} does not start tiles on a byte boundary for {page.BitsPerSample}-bit samples");
            var output = block.AsSpan(0, (int)TiffBlocks.DecodedSize(page, b));
            TiffDecompressor.Decode(page.Compression, reader.File, page.BlockOffsets[b], page.BlockByteCounts[b], output, $"{kind} {b} of page {page.Index}");

            int copyBytes = (int)page.RowBytes(columns);
            long xOffset = (long)x * bitsPerPixel / 8;
            for (int r = 0; r < rows; r++)
            {
                var row = output.Slice(r * blockRowBytes, blockRowBytes);
                UndoPredictor(page, row, scratch, reader.BigEndian);
                long target = ((long)plane * page.Height + y + r) * planeRowBytes + xOffset;
                row[..copyBytes].CopyTo(raw.AsSpan((int)target, copyBytes));
            }
        }

        ConvertSamples(page, raw, planeRowBytes, reader.BigEndian, data, exact, start);
    }

    private static void UndoPredictor(TiffPage page, Span<byte> row, Span<byte> scratch, bool bigEndian)
    {
        if (page.Predictor == 2)
            TiffPredictors.UndoHorizontal(row, page.BlockWidth, page.SamplesPerBlockPixel, page.BitsPerSample, bigEndian);
        else if (page.Predictor == 3)
            TiffPredictors.UndoFloatingPoint(row, scratch, page.BlockWidth, page.SamplesPerBlockPixel, page.BitsPerSample / 8, bigEndian);
    }

    private static void ConvertSamples(TiffPage page, byte[] raw, long planeRowBytes, bool bigEndian, float[] data, double[]? exact, long start)
    {
        int rowSamples = page.Width * page.SamplesPerBlockPixel;
        long rows = (long)page.Height * page.Planes;
        for (long r = 0; r < rows; r++)
        {
            var row = raw.AsSpan((int)(r * planeRowBytes), (int)planeRowBytes);
            long target = start + r * rowSamples;
            if (page.SampleType == SampleType.Bool)
            {
                // 1-bit rows: most significant bit first, each row padded to a whole byte. Raw bits are kept
                // (min-is-white is not inverted here; ImageStack.ToImage does that).
                for (int x = 0; x < rowSamples; x++)
                    data[target + x] = (row[x >> 3] >> (7 - (x & 7))) & 1;
            }
            else
            {
                SampleCodec.Read(row, page.SampleType, bigEndian, data, exact, target, rowSamples);
            }
        }
    }
}
