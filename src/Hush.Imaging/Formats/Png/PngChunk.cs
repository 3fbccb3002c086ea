using System.Buffers.Binary;

namespace Hush.Imaging.Formats.Png;

/// <summary>One chunk: its 4-letter type as a big-endian number and a view of its data.</summary>
internal readonly ref struct PngChunk(uint type, ReadOnlySpan<byte> data)
{
    public uint Type { get; } = type;

    public ReadOnlySpan<byte> Data { get; } = data;

    public string Name => TypeName(Type);

    /// <summary>Bit 5 of the first letter: lower case means ancillary (safe to skip).</summary>
    public bool IsCritical => (Type & 0x20000000u) == 0;

    public static uint TypeCode(string name) => BinaryPrimitives.ReadUInt32BigEndian(System.Text.Encoding.ASCII.GetBytes(name));

    public static string TypeName(uint type) => string.Create(4, type, static (chars, t) =>
    {
        for (int i = 0; i < 4; i++)
        {
            char c = (char)((t >> (24 - 8 * i)) & 0xFF);
            chars[i] = char.IsAsciiLetter(c) ? c : '?';
        }
    });
}
