using System.Buffers.Binary;

namespace Hush.Imaging.Formats.Tiff;

/// <summary>Bounds-checked reads of TIFF integers in the file's byte order. Every read past the end becomes an <see cref="ImageFormatException"/>.</summary>
internal sealed class TiffByteReader(byte[] file, bool bigEndian)
{
    public byte[] File { get; } = file;

    public bool BigEndian { get; } = bigEndian;

    public long Length => File.LongLength;

    /// <summary>The bytes [offset, offset + count), after checking they lie inside the file.</summary>
    public ReadOnlySpan<byte> Slice(long offset, long count, string what)
    {
        if (offset < 0 || count < 0 || offset > Length || count > Length - offset)
            ThrowHelper.ThrowFormat($"TIFF {what} at offset {offset} ({count} bytes) runs past the end of the {Length}-byte file");
        return File.AsSpan((int)offset, (int)count);
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
