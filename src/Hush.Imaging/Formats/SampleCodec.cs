using System.Buffers.Binary;

namespace Hush.Imaging.Formats;

/// <summary>
/// Converts between raw sample bytes (any byte order) and the float32 / float64 arrays of an
/// <see cref="ImageStack"/>. Shared by the TIFF and NPY codecs; 1-bit packing is TIFF's business.
/// </summary>
internal static class SampleCodec
{
    /// <summary>Decodes <paramref name="count"/> samples from <paramref name="source"/> into data[start..].</summary>
    public static void Read(ReadOnlySpan<byte> source, SampleType type, bool bigEndian, float[] data, double[]? exact, long start, int count)
    {
        int size = type.ByteSize();
        if (type == SampleType.Float32)
        {
            // Straight to float: a round trip through double would quieten signalling NaNs.
            for (int i = 0; i < count; i++)
            {
                var b = source.Slice(i * 4, 4);
                data[start + i] = bigEndian ? BinaryPrimitives.ReadSingleBigEndian(b) : BinaryPrimitives.ReadSingleLittleEndian(b);
            }
            return;
        }
        for (int i = 0; i < count; i++)
        {
            double value = ReadOne(source.Slice(i * size, size), type, bigEndian);
            data[start + i] = (float)value;
            if (exact != null)
                exact[start + i] = value;
        }
    }

    public static double ReadOne(ReadOnlySpan<byte> b, SampleType type, bool bigEndian) => type switch
    {
        SampleType.Bool => b[0] != 0 ? 1 : 0,
        SampleType.UInt8 => b[0],
        SampleType.UInt16 => bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b),
        SampleType.Int16 => bigEndian ? BinaryPrimitives.ReadInt16BigEndian(b) : BinaryPrimitives.ReadInt16LittleEndian(b),
        SampleType.UInt32 => bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b),
        SampleType.Int32 => bigEndian ? BinaryPrimitives.ReadInt32BigEndian(b) : BinaryPrimitives.ReadInt32LittleEndian(b),
        SampleType.Float32 => bigEndian ? BinaryPrimitives.ReadSingleBigEndian(b) : BinaryPrimitives.ReadSingleLittleEndian(b),
        _ => bigEndian ? BinaryPrimitives.ReadDoubleBigEndian(b) : BinaryPrimitives.ReadDoubleLittleEndian(b),
    };

    /// <summary>Encodes samples [start, start + count) of the stack, little-endian, coerced to its type.</summary>
    public static void WriteLittleEndian(ImageStack stack, long start, int count, Span<byte> destination)
    {
        var type = stack.SampleType;
        int size = type.ByteSize();
        if (type == SampleType.Float32)
        {
            for (int i = 0; i < count; i++)
                BinaryPrimitives.WriteSingleLittleEndian(destination.Slice(i * 4, 4), stack.Data[start + i]);
            return;
        }
        for (int i = 0; i < count; i++)
        {
            double value = type.Coerce(stack.ValueAt(start + i));
            var b = destination.Slice(i * size, size);
            switch (type)
            {
                case SampleType.Bool:
                case SampleType.UInt8:
                    b[0] = (byte)value;
                    break;
                case SampleType.UInt16:
                    BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)value);
                    break;
                case SampleType.Int16:
                    BinaryPrimitives.WriteInt16LittleEndian(b, (short)value);
                    break;
                case SampleType.UInt32:
                    BinaryPrimitives.WriteUInt32LittleEndian(b, (uint)value);
                    break;
                case SampleType.Int32:
                    BinaryPrimitives.WriteInt32LittleEndian(b, (int)value);
                    break;
                case SampleType.Float32:
                    BinaryPrimitives.WriteSingleLittleEndian(b, (float)value);
                    break;
                default:
                    BinaryPrimitives.WriteDoubleLittleEndian(b, value);
                    break;
            }
        }
    }
}
