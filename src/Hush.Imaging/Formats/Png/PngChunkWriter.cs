using System.Buffers.Binary;

namespace Hush.Imaging.Formats.Png;

/// <summary>Writes length + type + data + CRC for one chunk.</summary>
internal static class PngChunkWriter
{
    public static void Write(Stream stream, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(word, (uint)data.Length);
        stream.Write(word);

        Span<byte> typeBytes = stackalloc byte[4];
        for (int i = 0; i < 4; i++)
            typeBytes[i] = (byte)type[i];
        stream.Write(typeBytes);
        stream.Write(data);

        uint crc = PngCrc32.Finish(PngCrc32.Update(PngCrc32.Update(PngCrc32.Start, typeBytes), data));
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        stream.Write(word);
    }
}
