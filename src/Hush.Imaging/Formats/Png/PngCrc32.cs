namespace Hush.Imaging.Formats.Png;

/// <summary>
/// CRC-32 (ISO 3309 / ITU-T V.42, polynomial 0xEDB88320 reflected) as PNG uses it over chunk type + data.
/// The BCL has no CRC-32 without an extra package, and the table version is fast enough for chunk checks.
/// </summary>
internal static class PngCrc32
{
    private static readonly uint[] Table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Update(Start, data));

    public const uint Start = 0xFFFFFFFFu;

    public static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data)
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    public static uint Finish(uint crc) => crc ^ 0xFFFFFFFFu;

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
