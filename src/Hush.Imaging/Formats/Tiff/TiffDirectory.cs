namespace Hush.Imaging.Formats.Tiff;

/// <summary>One image file directory (IFD): its entries by tag and the offset of the next IFD (0 at the end).</summary>
internal sealed class TiffDirectory(long offset, Dictionary<int, TiffEntry> entries, long nextOffset)
{
    public long Offset { get; } = offset;

    public long NextOffset { get; } = nextOffset;

    public bool Has(int tag) => entries.ContainsKey(tag);

    public TiffEntry? Find(int tag) => entries.GetValueOrDefault(tag);

    /// <summary>
    /// Parses the IFD at <paramref name="offset"/>. The whole entry table must lie inside the file, which
    /// also rejects absurd entry counts before anything is allocated for them.
    /// </summary>
    public static TiffDirectory Read(TiffByteReader reader, long offset, bool bigTiff)
    {
        long count = bigTiff
            ? ToLong(reader.UInt64(offset, "IFD entry count"), "IFD entry count")
            : reader.UInt16(offset, "IFD entry count");
        int entrySize = bigTiff ? 20 : 12;
        int countSize = bigTiff ? 8 : 2;
        int nextSize = bigTiff ? 8 : 4;
        if (count == 0)
            ThrowHelper.ThrowFormat($"TIFF IFD at offset {offset} has no entries");
        if (count > (reader.Length - offset - countSize - nextSize) / entrySize)
            ThrowHelper.ThrowFormat($"TIFF IFD at offset {offset} claims {count} entries, which run past the end of the {reader.Length}-byte file");

        var entries = new Dictionary<int, TiffEntry>();
        long position = offset + countSize;
        for (long i = 0; i < count; i++, position += entrySize)
        {
            int tag = reader.UInt16(position, "IFD entry");
            int type = reader.UInt16(position + 2, "IFD entry");
            long valueCount = bigTiff
                ? ToLong(reader.UInt64(position + 4, "IFD entry"), $"tag {tag} count")
                : reader.UInt32(position + 4, "IFD entry");
            long valueField = position + (bigTiff ? 12 : 8);
            int size = TiffFieldType.Size(type);
            if (size == 0)
                continue; // unknown field type: TIFF 6.0 says readers should ignore the entry

            // Values that fit in the entry's last 4 (8) bytes are stored there; otherwise those bytes are an offset.
            bool inline = valueCount <= (bigTiff ? 8 : 4) / size;
            long valueOffset = inline
                ? valueField
                : bigTiff ? ToLong(reader.UInt64(valueField, "IFD entry"), $"tag {tag} offset") : reader.UInt32(valueField, "IFD entry");
            // First occurrence wins; duplicated tags are a writer bug we tolerate.
            entries.TryAdd(tag, new TiffEntry(tag, type, valueCount, valueOffset));
        }

        long next = bigTiff
            ? ToLong(reader.UInt64(position, "next IFD offset"), "next IFD offset")
            : reader.UInt32(position, "next IFD offset");
        return new TiffDirectory(offset, entries, next);
    }

    private static long ToLong(ulong value, string what)
    {
        if (value > long.MaxValue)
            ThrowHelper.ThrowFormat($"TIFF {what} {value} is out of range");
        return (long)value;
    }
}
