using System.Buffers.Binary;
using System.IO.Compression;
using Hush.Imaging.Formats.Png;

namespace Hush.Imaging.Tests;

/// <summary>Decompression bombs made on the fly: all-zero 8-bit grey images whose zlib streams inflate about
/// 1000:1 (nothing of this size is committed).</summary>
internal static class Bombs
{
    /// <summary>Zlib stream of <paramref name="rows"/> rows of <paramref name="rowBytes"/> zeros.</summary>
    private static byte[] Zeros(int rows, int rowBytes)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            var row = new byte[rowBytes];
            for (int r = 0; r < rows; r++)
                zlib.Write(row);
        }
        return compressed.ToArray();
    }

    public static byte[] Png(int side)
    {
        using var file = new MemoryStream();
        file.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, (uint)side);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), (uint)side);
        ihdr[8] = 8; // 8-bit grey
        Chunk(file, "IHDR", ihdr);
        Chunk(file, "IDAT", Zeros(side, side + 1)); // each scanline: filter byte 0, then the samples
        Chunk(file, "IEND", []);
        return file.ToArray();
    }

    /// <summary>Little-endian TIFF, one Deflate strip holding the whole 8-bit grey image.</summary>
    public static byte[] Tiff(int width, int height)
    {
        byte[] strip = Zeros(height, width);
        (ushort Tag, ushort Type, uint Value)[] entries =
        [
            (256, 4, (uint)width), (257, 4, (uint)height), (258, 3, 8), (259, 3, 8), (262, 3, 1),
            (273, 4, 0), (277, 3, 1), (278, 4, (uint)height), (279, 4, (uint)strip.Length),
        ];
        int dataOffset = 8 + 2 + 12 * entries.Length + 4;
        var file = new byte[dataOffset + strip.Length];
        "II*\0"u8.CopyTo(file);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(4), 8);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(8), (ushort)entries.Length);
        for (int i = 0; i < entries.Length; i++)
        {
            var entry = file.AsSpan(10 + 12 * i, 12);
            BinaryPrimitives.WriteUInt16LittleEndian(entry, entries[i].Tag);
            BinaryPrimitives.WriteUInt16LittleEndian(entry[2..], entries[i].Type);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[4..], 1);
            uint value = entries[i].Tag == 273 ? (uint)dataOffset : entries[i].Value;
            if (entries[i].Type == 3)
                BinaryPrimitives.WriteUInt16LittleEndian(entry[8..], (ushort)value);
            else
                BinaryPrimitives.WriteUInt32LittleEndian(entry[8..], value);
        }
        strip.CopyTo(file, dataOffset);
        return file;
    }

    /// <summary>Writes one PNG chunk (length, type, data, CRC).</summary>
    internal static void Chunk(Stream s, string type, byte[] data)
    {
        var buffer = new byte[12 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(buffer, (uint)data.Length);
        System.Text.Encoding.ASCII.GetBytes(type).CopyTo(buffer, 4);
        data.CopyTo(buffer, 8);
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(8 + data.Length), PngCrc32.Compute(buffer.AsSpan(4, 4 + data.Length)));
        s.Write(buffer);
    }
}
