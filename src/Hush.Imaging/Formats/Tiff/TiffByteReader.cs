using System.Buffers.Binary;

namespace Hush.Imaging.Formats.Tiff;

/// <summary>
/// Bounds-checked reads of TIFF integers in the file's byte order, from a file in memory or from a memory-mapped
/// file (describing a file reads only the pages its IFDs are on). Every read past the end becomes an
/// <see cref="ImageFormatException"/>.
/// </summary>
internal sealed unsafe class TiffByteReader
{
    private readonly byte[]? file;
    private readonly byte* mapped;

    // IFDs may share one tag array, so N pages could make us read the same huge table N times. A real file
    // stores each value at least once, so the values read over all pages cannot exceed the file's size.
    private long valueBudget;

    public TiffByteReader(byte[] file, bool bigEndian)
    {
        this.file = file;
        Length = file.LongLength;
        BigEndian = bigEndian;
        valueBudget = Length + 65536;
    }

    /// <summary>Reads <paramref name="length"/> mapped bytes at <paramref name="pointer"/>, which the caller keeps mapped
    /// while the reader is used.</summary>
    public TiffByteReader(byte* pointer, long length, bool bigEndian)
    {
        mapped = pointer;
        Length = length;
        BigEndian = bigEndian;
        valueBudget = Length + 65536;
    }

    /// <summary>The whole file, for decoding strips and tiles; only a reader over an in-memory file has it.</summary>
    public byte[] File => file ?? throw new InvalidOperationException("A reader over a mapped file describes pages; it does not decode them.");

    public bool BigEndian { get; }

    public long Length { get; }

    /// <summary>The bytes [offset, offset + count), after checking they lie inside the file.</summary>
    public ReadOnlySpan<byte> Slice(long offset, long count, string what)
    {
        if (offset < 0 || count < 0 || offset > Length || count > Length - offset)
            ThrowHelper.ThrowFormat($"TIFF {what} at offset {offset} ({count} bytes) runs past the end of the {Length}-byte file");
        if (count > int.MaxValue)
            ThrowHelper.ThrowFormat($"TIFF {what} at offset {offset} is too large ({count} bytes)");
        return file != null ? file.AsSpan((int)offset, (int)count) : new ReadOnlySpan<byte>(mapped + offset, (int)count);
    }

    /// <summary>Counts <paramref name="count"/> tag values against the whole file's budget.</summary>
    public void ChargeValues(long count, int tag)
    {
        valueBudget -= count;
        if (valueBudget < 0)
            ThrowHelper.ThrowFormat($"TIFF tag {tag} values bring the total over what the {Length}-byte file holds (IFDs sharing one table?)");
    }

    public ushort UInt16(long offset, string what)
    {
        var b = Slice(offset, 2, what);
        return BigEndian ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b);
    }

    public uint UInt32(long offset, string what)
    {
        var b = Slice(offset, 4, what);
        return BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b);
    }

    public ulong UInt64(long offset, string what)
    {
        var b = Slice(offset, 8, what);
        return BigEndian ? BinaryPrimitives.ReadUInt64BigEndian(b) : BinaryPrimitives.ReadUInt64LittleEndian(b);
    }
}
