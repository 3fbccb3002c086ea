namespace Hush.Imaging.Formats.Tiff;

/// <summary>The 8-byte (classic) or 16-byte (BigTIFF) file header.</summary>
internal sealed record TiffHeader(bool BigEndian, bool BigTiff, long FirstIfdOffset)
{
    public static bool LooksLikeTiff(ReadOnlySpan<byte> file) =>
        file.Length >= 4 && ((file[0] == 'I' && file[1] == 'I' && file[2] is 42 or 43 && file[3] == 0)
            || (file[0] == 'M' && file[1] == 'M' && file[2] == 0 && file[3] is 42 or 43));

    public static TiffHeader Read(byte[] file)
    {
        if (file.Length == 0)
            ThrowHelper.ThrowFormat("TIFF file is empty");
        if (file.Length < 8)
            ThrowHelper.ThrowFormat($"TIFF file is truncated: {file.Length} bytes, shorter than the 8-byte header");
        bool bigEndian = (file[0], file[1]) switch
        {
            ((byte)'I', (byte)'I') => false,
            ((byte)'M', (byte)'M') => true,
            _ => throw ThrowHelper.Format($"not a TIFF file: byte-order mark is '{Printable(file[0])}{Printable(file[1])}', neither 'II' nor 'MM'"),
        };
        var reader = new TiffByteReader(file, bigEndian);
        int version = reader.UInt16(2, "header");
        if (version == 42)
            return new TiffHeader(bigEndian, false, reader.UInt32(4, "header"));
        if (version != 43)
            ThrowHelper.ThrowFormat($"not a TIFF file: version number is {version}, not 42 (TIFF) or 43 (BigTIFF)");

        if (file.Length < 16)
            ThrowHelper.ThrowFormat("BigTIFF file is truncated inside its 16-byte header");
        int offsetSize = reader.UInt16(4, "header");
        if (offsetSize != 8 || reader.UInt16(6, "header") != 0)
            ThrowHelper.ThrowFormat($"BigTIFF header has offset size {offsetSize}, only 8 is defined");
        ulong first = reader.UInt64(8, "header");
        if (first > long.MaxValue)
            ThrowHelper.ThrowFormat($"BigTIFF first IFD offset {first} is out of range");
        return new TiffHeader(bigEndian, true, (long)first);
    }

    private static string Printable(byte b) => b is >= 32 and < 127 ? ((char)b).ToString() : $"\\x{b:X2}";
}
