using System.Buffers.Binary;

namespace Hush.Imaging.Formats.Png;

/// <summary>
/// Walks the chunks of an in-memory PNG after the signature, checking every length against what is
/// actually there and every CRC, so later stages only ever see complete, intact chunks.
/// </summary>
internal ref struct PngChunkReader(ReadOnlySpan<byte> file, int offset)
{
    private const int Overhead = 12; // length + type + CRC

    private readonly ReadOnlySpan<byte> file = file;
    private int offset = offset;

    public bool AtEnd => offset >= file.Length;

    public PngChunk Next()
    {
        int remaining = file.Length - offset;
        if (remaining < Overhead)
            ThrowHelper.ThrowFormat($"PNG file is truncated: {remaining} bytes left at offset {offset}, too few for a chunk");

        uint length = BinaryPrimitives.ReadUInt32BigEndian(file[offset..]);
        uint type = BinaryPrimitives.ReadUInt32BigEndian(file[(offset + 4)..]);
        if (!IsValidType(type))
            ThrowHelper.ThrowFormat($"PNG chunk at offset {offset} has an invalid type (corrupt or not a PNG)");

        string name = PngChunk.TypeName(type);
        if (length > int.MaxValue || length > remaining - Overhead)
            ThrowHelper.ThrowFormat($"PNG chunk {name} claims {length} bytes but the file is truncated ({remaining - Overhead} left)");

        var typeAndData = file.Slice(offset + 4, 4 + (int)length);
        uint storedCrc = BinaryPrimitives.ReadUInt32BigEndian(file[(offset + 8 + (int)length)..]);
        if (PngCrc32.Compute(typeAndData) != storedCrc)
            ThrowHelper.ThrowFormat($"PNG chunk {name} has a bad CRC");

        offset += Overhead + (int)length;
        return new PngChunk(type, typeAndData[4..]);
    }

    // Chunk types are four ASCII letters; anything else means we lost sync with the stream.
    private static bool IsValidType(uint type)
    {
        for (int shift = 24; shift >= 0; shift -= 8)
        {
            if (!char.IsAsciiLetter((char)((type >> shift) & 0xFF)))
                return false;
        }
        return true;
    }
}
