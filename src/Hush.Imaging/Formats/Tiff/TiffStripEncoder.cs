using System.Buffers.Binary;
using System.IO.Compression;

namespace Hush.Imaging.Formats.Tiff;

/// <summary>
/// Produces the bytes of one strip: samples in little-endian file layout (1-bit rows packed MSB first),
/// the predictor applied per row when asked, then Deflate when asked.
/// </summary>
internal static class TiffStripEncoder
{
    /// <param name="start">Index in the stack's C-order samples of the strip's first sample.</param>
    public static byte[] Encode(ImageStack stack, long start, int rows, int rowSamples, int samplesPerPixel, TiffEncoderOptions options)
    {
        var type = stack.SampleType;
        int rowBytes = type == SampleType.Bool ? (rowSamples + 7) / 8 : rowSamples * type.ByteSize();
        var raw = new byte[(long)rowBytes * rows];
        int predictor = Predictor(type, options);
        var scratch = predictor == 3 ? new byte[rowBytes] : [];
        for (int r = 0; r < rows; r++)
        {
            var row = raw.AsSpan(r * rowBytes, rowBytes);
            long first = start + (long)r * rowSamples;
            if (type == SampleType.Bool)
                PackBits(stack, first, rowSamples, row);
            else
                SampleCodec.WriteLittleEndian(stack, first, rowSamples, row);
            if (predictor == 2)
                ApplyHorizontal(row, rowSamples, samplesPerPixel, type.ByteSize());
            else if (predictor == 3)
                ApplyFloatingPoint(row, scratch, rowSamples, samplesPerPixel, type.ByteSize());
        }
        return options.Compression == TiffCompression.Deflate ? Deflate(raw) : raw;
    }

    /// <summary>The predictor tag value the options imply for this sample type (1 = none).</summary>
    public static int Predictor(SampleType type, TiffEncoderOptions options) =>
        !options.UsePredictor || options.Compression == TiffCompression.None || type == SampleType.Bool ? 1
        : type.IsFloat() ? 3 : 2;

    private static void PackBits(ImageStack stack, long first, int count, Span<byte> row)
    {
        row.Clear();
        for (int x = 0; x < count; x++)
        {
            if (SampleType.Bool.Coerce(stack.ValueAt(first + x)) != 0)
                row[x >> 3] |= (byte)(0x80 >> (x & 7));
        }
    }

    /// <summary>Predictor 2: each sample minus the same sample of the previous pixel, modulo its width (little-endian).</summary>
    private static void ApplyHorizontal(Span<byte> row, int samples, int stride, int size)
    {
        for (int i = samples - 1; i >= stride; i--)
        {
            var a = row.Slice(i * size, size);
            var b = row.Slice((i - stride) * size, size);
            switch (size)
            {
                case 1:
                    a[0] -= b[0];
                    break;
                case 2:
                    BinaryPrimitives.WriteUInt16LittleEndian(a, (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(a) - BinaryPrimitives.ReadUInt16LittleEndian(b)));
                    break;
                case 4:
                    BinaryPrimitives.WriteUInt32LittleEndian(a, BinaryPrimitives.ReadUInt32LittleEndian(a) - BinaryPrimitives.ReadUInt32LittleEndian(b));
                    break;
                default:
                    BinaryPrimitives.WriteUInt64LittleEndian(a, BinaryPrimitives.ReadUInt64LittleEndian(a) - BinaryPrimitives.ReadUInt64LittleEndian(b));
                    break;
            }
        }
    }

    /// <summary>Predictor 3: split samples into byte planes, most significant first, then difference the bytes.</summary>
    private static void ApplyFloatingPoint(Span<byte> row, Span<byte> scratch, int samples, int stride, int size)
    {
        row.CopyTo(scratch);
        for (int s = 0; s < samples; s++)
        {
            for (int b = 0; b < size; b++)
                row[b * samples + s] = scratch[s * size + (size - 1 - b)];
        }
        for (int i = row.Length - 1; i >= stride; i--)
            row[i] -= row[i - stride];
    }

    private static byte[] Deflate(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
            zlib.Write(raw);
        return output.ToArray();
    }
}
