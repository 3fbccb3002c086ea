namespace Hush.Imaging.Formats.Tiff;

/// <summary>
/// Geometry of strips and tiles ("blocks"): where each one sits in the page, how many bytes it decodes to,
/// and the checks made on the block table before any pixel memory is allocated.
/// Blocks are numbered plane by plane (separate planes), then row by row, left to right.
/// </summary>
internal static class TiffBlocks
{
    /// <summary>Most bytes a compressed byte can expand to, per compression; used to refuse impossible sizes up front.</summary>
    private static long MaxExpansion(int compression, long compressedBytes) => compression switch
    {
        TiffCompressionCode.None => compressedBytes,
        // A PackBits run of 128 copies costs 2 bytes.
        TiffCompressionCode.PackBits => compressedBytes * 64 + 128,
        // Deflate cannot exceed 1032:1 (a 258-byte match per 2 bits, roughly); allow some headroom.
        TiffCompressionCode.AdobeDeflate or TiffCompressionCode.Deflate => compressedBytes * 1100 + 1024,
        // An LZW code (at least 9 bits) stands for at most 4096 bytes.
        _ => compressedBytes * 8 / 9 * 4096 + 4096,
    };

    public static (int Plane, int X, int Y, int Columns, int Rows) Place(TiffPage page, int block)
    {
        int perPlane = page.BlocksAcross * page.BlocksDown;
        int plane = block / perPlane;
        int within = block % perPlane;
        int x = within % page.BlocksAcross * page.BlockWidth;
        int y = within / page.BlocksAcross * page.BlockHeight;
        return (plane, x, y, Math.Min(page.BlockWidth, page.Width - x), Math.Min(page.BlockHeight, page.Height - y));
    }

    /// <summary>Bytes block <paramref name="block"/> decodes to: tiles are always full size, the last strip may be short.</summary>
    public static long DecodedSize(TiffPage page, int block)
    {
        var (_, _, _, _, rows) = Place(page, block);
        return page.RowBytes(page.BlockWidth) * (page.Tiled ? page.BlockHeight : rows);
    }

    public static void Check(TiffPage page, TiffByteReader reader)
    {
        string kind = page.Tiled ? "tile" : "strip";
        for (int b = 0; b < page.BlockCount; b++)
        {
            long offset = page.BlockOffsets[b], count = page.BlockByteCounts[b];
            if (offset < 0 || count < 0 || offset > reader.Length || count > reader.Length - offset)
                ThrowHelper.ThrowFormat($"TIFF {kind} {b} of page {page.Index} (offset {offset}, {count} bytes) runs past the end of the {reader.Length}-byte file");
            long needed = DecodedSize(page, b);
            if (page.Compression == TiffCompressionCode.None && count < needed)
                ThrowHelper.ThrowFormat($"TIFF uncompressed {kind} {b} of page {page.Index} holds {count} bytes but needs {needed}");
            if (needed > MaxExpansion(page.Compression, count))
                ThrowHelper.ThrowFormat($"TIFF {kind} {b} of page {page.Index} must decode to {needed} bytes, more than its {count} compressed bytes can hold");
        }
    }
}
