using System.Buffers.Binary;
using System.Text;

namespace Hush.Imaging.Formats.Tiff;

/// <summary>
/// Collects the entries of one IFD (little-endian) and serialises it: the entry table sorted by tag, the
/// next-IFD offset, then the values too long to sit inside their entries.
/// </summary>
internal sealed class TiffIfdBuilder(bool bigTiff)
{
    private readonly SortedDictionary<int, (int Type, long Count, byte[] Values)> entries = [];

    private int EntrySize => bigTiff ? 20 : 12;

    private int InlineSize => bigTiff ? 8 : 4;

    public void Short(int tag, params int[] values)
    {
        var bytes = new byte[2 * values.Length];
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2 * i), checked((ushort)values[i]));
        entries[tag] = (TiffFieldType.Short, values.Length, bytes);
    }

    public void Long(int tag, long value) => Offsets(tag, [value], forceLong: true);

    /// <summary>Offsets or byte counts: LONG in classic TIFF, LONG8 in BigTIFF.</summary>
    public void Offsets(int tag, long[] values, bool forceLong = false)
    {
        bool eight = bigTiff && !forceLong;
        int size = eight ? 8 : 4;
        var bytes = new byte[size * values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            if (eight)
                BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8 * i), checked((ulong)values[i]));
            else
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4 * i), checked((uint)values[i]));
        }
        entries[tag] = (eight ? TiffFieldType.Long8 : TiffFieldType.Long, values.Length, bytes);
    }

    public void Ascii(int tag, string text)
    {
        byte[] bytes = [.. Encoding.UTF8.GetBytes(text), 0];
        entries[tag] = (TiffFieldType.Ascii, bytes.Length, bytes);
    }

    public void Rational(int tag, uint numerator, uint denominator)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, numerator);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), denominator);
        entries[tag] = (TiffFieldType.Rational, 1, bytes);
    }

    /// <summary>Bytes the serialised IFD takes, values included (each value block padded to an even length).</summary>
    public long Size
    {
        get
        {
            long size = (bigTiff ? 8 : 2) + (long)entries.Count * EntrySize + (bigTiff ? 8 : 4);
            foreach (var (_, _, values) in entries.Values)
            {
                if (values.Length > InlineSize)
                    size += values.Length + (values.Length & 1);
            }
            return size;
        }
    }

    /// <summary>Serialises the IFD as if it starts at file offset <paramref name="offset"/>.</summary>
    public byte[] ToBytes(long offset, long nextIfd)
    {
        var bytes = new byte[Size];
        var span = bytes.AsSpan();
        int position = 0;
        if (bigTiff)
            BinaryPrimitives.WriteUInt64LittleEndian(span, (ulong)entries.Count);
        else
            BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)entries.Count);
        position += bigTiff ? 8 : 2;

        long valuePosition = position + (long)entries.Count * EntrySize + (bigTiff ? 8 : 4);
        foreach (var (tag, (type, count, values)) in entries)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(span[position..], (ushort)tag);
            BinaryPrimitives.WriteUInt16LittleEndian(span[(position + 2)..], (ushort)type);
            if (bigTiff)
                BinaryPrimitives.WriteUInt64LittleEndian(span[(position + 4)..], (ulong)count);
            else
                BinaryPrimitives.WriteUInt32LittleEndian(span[(position + 4)..], checked((uint)count));
            int field = position + (bigTiff ? 12 : 8);
            if (values.Length <= InlineSize)
            {
                values.CopyTo(span[field..]);
            }
            else
            {
                WriteOffset(span[field..], offset + valuePosition);
                values.CopyTo(span[(int)valuePosition..]);
                valuePosition += values.Length + (values.Length & 1);
            }
            position += EntrySize;
        }
        WriteOffset(span[position..], nextIfd);
        return bytes;
    }

    private void WriteOffset(Span<byte> destination, long value)
    {
        if (bigTiff)
            BinaryPrimitives.WriteUInt64LittleEndian(destination, (ulong)value);
        else
            BinaryPrimitives.WriteUInt32LittleEndian(destination, checked((uint)value));
    }
}
