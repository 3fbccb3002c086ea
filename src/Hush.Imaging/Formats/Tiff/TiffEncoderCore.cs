namespace Hush.Imaging.Formats.Tiff;

/// <summary>
/// Writes a stack page by page, each page as [IFD][long tag values][strips], so every offset is known when
/// the IFD is written and the stream never needs to seek. Only one page's compressed strips are held at once.
/// </summary>
internal sealed class TiffEncoderCore(TiffEncoderOptions options)
{
    // Strips of about 64 KB: small enough to stream, large enough for Deflate to work well.
    private const int TargetStripBytes = 1 << 16;

    public void Encode(ImageStack stack, Stream stream)
    {
        var layout = TiffWriteLayout.Plan(stack);
        var type = layout.Stack.SampleType;
        long estimated = layout.Stack.Length * type.ByteSize() + 1024L * (layout.Pages + 1) + (layout.Description?.Length ?? 0);
        // Deflate can grow incompressible data slightly, so keep a margin below the 4 GB offset limit.
        bool bigTiff = options.ForceBigTiff || estimated > uint.MaxValue - (uint.MaxValue >> 6);

        long position = WriteHeader(stream, bigTiff);
        int planes = layout.Separate ? layout.SamplesPerPixel : 1;
        int rowSamples = layout.Width * (layout.Separate ? 1 : layout.SamplesPerPixel);
        int rowBytes = type == SampleType.Bool ? (rowSamples + 7) / 8 : rowSamples * type.ByteSize();
        int rowsPerStrip = Math.Clamp(TargetStripBytes / Math.Max(1, rowBytes), 1, layout.Height);
        int stripsPerPlane = (layout.Height + rowsPerStrip - 1) / rowsPerStrip;
        long pageSamples = (long)layout.Width * layout.Height * layout.SamplesPerPixel;

        for (int page = 0; page < layout.Pages; page++)
        {
            var strips = new List<byte[]>(planes * stripsPerPlane);
            for (int plane = 0; plane < planes; plane++)
            {
                for (int s = 0; s < stripsPerPlane; s++)
                {
                    int firstRow = s * rowsPerStrip;
                    int rows = Math.Min(rowsPerStrip, layout.Height - firstRow);
                    long start = page * pageSamples + ((long)plane * layout.Height + firstRow) * rowSamples;
                    strips.Add(TiffStripEncoder.Encode(layout.Stack, start, rows, rowSamples, layout.Separate ? 1 : layout.SamplesPerPixel, options));
                }
            }

            var ifd = BuildIfd(layout, page, rowsPerStrip, bigTiff, strips);
            long dataStart = position + ifd.Size;
            var offsets = new long[strips.Count];
            long cursor = dataStart;
            for (int i = 0; i < strips.Count; i++)
            {
                offsets[i] = cursor;
                cursor += strips[i].Length;
            }
            if (!bigTiff && cursor > uint.MaxValue)
                throw new InvalidOperationException("TIFF output passed 4 GB; set TiffEncoderOptions.ForceBigTiff.");
            ifd.Offsets(TiffTag.StripOffsets, offsets);
            long next = page + 1 < layout.Pages ? cursor + (cursor & 1) : 0;
            stream.Write(ifd.ToBytes(position, next));
            foreach (var strip in strips)
                stream.Write(strip);
            if ((cursor & 1) != 0 && next != 0)
                stream.WriteByte(0); // IFDs start on a word boundary
            position = next;
        }
    }

    private static long WriteHeader(Stream stream, bool bigTiff)
    {
        // Little-endian ("II"); the first IFD follows the header directly.
        if (bigTiff)
        {
            stream.Write([(byte)'I', (byte)'I', 43, 0, 8, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0]);
            return 16;
        }
        stream.Write([(byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0]);
        return 8;
    }

    private TiffIfdBuilder BuildIfd(TiffWriteLayout layout, int page, int rowsPerStrip, bool bigTiff, List<byte[]> strips)
    {
        var type = layout.Stack.SampleType;
        int bits = type == SampleType.Bool ? 1 : type.ByteSize() * 8;
        int format = type.IsFloat() ? 3 : type is SampleType.Int16 or SampleType.Int32 ? 2 : 1;
        int spp = layout.SamplesPerPixel;

        var ifd = new TiffIfdBuilder(bigTiff);
        ifd.Long(TiffTag.ImageWidth, layout.Width);
        ifd.Long(TiffTag.ImageLength, layout.Height);
        ifd.Short(TiffTag.BitsPerSample, [.. Enumerable.Repeat(bits, spp)]);
        ifd.Short(TiffTag.Compression, options.Compression == TiffCompression.Deflate ? TiffCompressionCode.AdobeDeflate : TiffCompressionCode.None);
        ifd.Short(TiffTag.Photometric, layout.Photometric);
        if (page == 0 && layout.Description != null)
            ifd.Ascii(TiffTag.ImageDescription, layout.Description);
        // Placeholder of the right size; the real offsets are set once the IFD's own size is known.
        ifd.Offsets(TiffTag.StripOffsets, new long[strips.Count]);
        ifd.Short(TiffTag.SamplesPerPixel, spp);
        ifd.Long(TiffTag.RowsPerStrip, rowsPerStrip);
        ifd.Offsets(TiffTag.StripByteCounts, [.. strips.Select(s => (long)s.Length)]);
        ifd.Rational(TiffTag.XResolution, 1, 1);
        ifd.Rational(TiffTag.YResolution, 1, 1);
        ifd.Short(TiffTag.ResolutionUnit, 1);
        if (spp > 1)
            ifd.Short(TiffTag.PlanarConfiguration, layout.Separate ? 2 : 1);
        ifd.Ascii(TiffTag.Software, "Hush");
        int predictor = TiffStripEncoder.Predictor(type, options);
        if (predictor != 1)
            ifd.Short(TiffTag.Predictor, predictor);
        if (layout.ExtraSamples.Length > 0)
            ifd.Short(TiffTag.ExtraSamples, layout.ExtraSamples);
        ifd.Short(TiffTag.SampleFormat, [.. Enumerable.Repeat(format, spp)]);
        return ifd;
    }
}
