using System.IO.Compression;

namespace Hush.Imaging.Formats.Png;

/// <summary>
/// Stateful PNG reader for one file: validates the chunk sequence, collects the compressed image data,
/// inflates it, reverses the filters pass by pass and hands rows to <see cref="PngPixelWriter"/>.
/// </summary>
internal sealed class PngDecoderCore(DecoderLimits limits)
{
    private static readonly uint IHDR = PngChunk.TypeCode("IHDR");
    private static readonly uint PLTE = PngChunk.TypeCode("PLTE");
    private static readonly uint tRNS = PngChunk.TypeCode("tRNS");
    private static readonly uint IDAT = PngChunk.TypeCode("IDAT");
    private static readonly uint IEND = PngChunk.TypeCode("IEND");

    private PngHeader header;
    private byte[]? palette;
    private byte[]? paletteAlpha;
    private ushort[]? transparent;
    private readonly MemoryStream compressed = new();
    private bool idatStarted;
    private bool idatFinished;
    private bool keepImageData = true; // Identify walks the chunks without collecting the compressed data

    public Image Decode(ReadOnlySpan<byte> file)
    {
        ReadChunks(file);
        long expected = ExpectedScanlineBytes();
        ThrowHelper.CheckInflation("PNG", expected, compressed.Length, limits);
        byte[] scanlines = Inflate(expected);
        return BuildImage(scanlines);
    }

    /// <summary>Size, colour channels (alpha apart) and bit depth as <see cref="Decode"/> would give them, from the
    /// chunks alone: nothing is inflated.</summary>
    public (int Width, int Height, int Channels, bool HasAlpha, int BitDepth) Identify(ReadOnlySpan<byte> file)
    {
        keepImageData = false;
        ReadChunks(file);
        var writer = new PngPixelWriter(header, palette, paletteAlpha, transparent, allocate: false);
        return (header.Width, header.Height, writer.Channels, writer.HasAlpha, writer.OutputBitDepth);
    }

    /// <summary>Checks the chunk sequence and collects the header, palette, transparency and compressed data.</summary>
    private void ReadChunks(ReadOnlySpan<byte> file)
    {
        if (!PngSignature.Matches(file))
            ThrowHelper.ThrowFormat("not a PNG file: the 8-byte PNG signature is missing or corrupted");

        var reader = new PngChunkReader(file, PngSignature.Length);
        var first = reader.Next();
        if (first.Type != IHDR)
            ThrowHelper.ThrowFormat($"PNG must start with an IHDR chunk but starts with {first.Name}");
        header = PngHeader.Parse(first.Data, limits);

        while (true)
        {
            if (reader.AtEnd)
                ThrowHelper.ThrowFormat("PNG file is truncated: no IEND chunk");
            var chunk = reader.Next();
            if (chunk.Type == IEND)
                break;
            ReadChunk(chunk);
        }

        if (!idatStarted)
            ThrowHelper.ThrowFormat("PNG file has no IDAT chunk (no image data)");
    }

    private void ReadChunk(PngChunk chunk)
    {
        if (idatStarted && chunk.Type != IDAT)
            idatFinished = true;

        if (chunk.Type == IDAT)
            ReadImageData(chunk.Data);
        else if (chunk.Type == PLTE)
            ReadPalette(chunk.Data);
        else if (chunk.Type == tRNS)
            ReadTransparency(chunk.Data);
        else if (chunk.Type == IHDR)
            ThrowHelper.ThrowFormat("PNG file has more than one IHDR chunk");
        else if (chunk.IsCritical)
            ThrowHelper.ThrowFormat($"PNG critical chunk {chunk.Name} is not supported");
        // Ancillary chunks (gAMA, cHRM, text, time, ...) carry no pixels; we deliberately ignore them,
        // which also means no gamma correction is applied.
    }

    private void ReadImageData(ReadOnlySpan<byte> data)
    {
        if (idatFinished)
            ThrowHelper.ThrowFormat("PNG IDAT chunks are not consecutive");
        if (header.ColorType == PngColorType.Palette && palette == null)
            ThrowHelper.ThrowFormat("PNG palette image has no PLTE chunk before IDAT");
        idatStarted = true;
        if (keepImageData) compressed.Write(data);
    }

    private void ReadPalette(ReadOnlySpan<byte> data)
    {
        if (idatStarted)
            ThrowHelper.ThrowFormat("PNG PLTE chunk appears after IDAT");
        if (palette != null)
            ThrowHelper.ThrowFormat("PNG file has more than one PLTE chunk");
        if (header.ColorType is PngColorType.Grey or PngColorType.GreyAlpha)
            ThrowHelper.ThrowFormat($"PNG PLTE chunk is not allowed for colour type {(int)header.ColorType}");
        if (data.Length == 0 || data.Length % 3 != 0 || data.Length > 256 * 3)
            ThrowHelper.ThrowFormat($"PNG PLTE chunk has invalid length {data.Length}");

        // For RGB images PLTE is only a quantisation hint; we keep it only where it defines the pixels.
        if (header.ColorType != PngColorType.Palette)
            return;
        if (data.Length / 3 > 1 << header.BitDepth)
            ThrowHelper.ThrowFormat($"PNG PLTE has {data.Length / 3} entries, more than bit depth {header.BitDepth} can index");
        palette = data.ToArray();
    }

    private void ReadTransparency(ReadOnlySpan<byte> data)
    {
        if (idatStarted)
            ThrowHelper.ThrowFormat("PNG tRNS chunk appears after IDAT");
        if (paletteAlpha != null || transparent != null)
            ThrowHelper.ThrowFormat("PNG file has more than one tRNS chunk");

        switch (header.ColorType)
        {
            case PngColorType.Palette:
                if (palette == null)
                    ThrowHelper.ThrowFormat("PNG tRNS chunk appears before PLTE");
                if (data.Length > palette!.Length / 3)
                    ThrowHelper.ThrowFormat($"PNG tRNS has {data.Length} entries but the palette only {palette.Length / 3}");
                // An all-opaque tRNS adds nothing, so the image stays without alpha.
                if (data.IndexOfAnyExcept((byte)255) >= 0)
                    paletteAlpha = data.ToArray();
                break;
            case PngColorType.Grey:
                if (data.Length != 2)
                    ThrowHelper.ThrowFormat($"PNG tRNS for a grey image has length {data.Length}, expected 2");
                transparent = [ReadUInt16(data, 0)];
                break;
            case PngColorType.Rgb:
                if (data.Length != 6)
                    ThrowHelper.ThrowFormat($"PNG tRNS for an RGB image has length {data.Length}, expected 6");
                transparent = [ReadUInt16(data, 0), ReadUInt16(data, 2), ReadUInt16(data, 4)];
                break;
            default:
                // Forbidden for types that already carry alpha; harmless to ignore.
                break;
        }
    }

    private static ushort ReadUInt16(ReadOnlySpan<byte> data, int offset) => (ushort)((data[offset] << 8) | data[offset + 1]);

    private PngPass[] Passes => header.Interlaced ? PngPass.Adam7 : PngPass.Whole;

    private long ExpectedScanlineBytes()
    {
        long total = 0;
        foreach (var pass in Passes)
        {
            int columns = pass.Columns(header.Width), rows = pass.Rows(header.Height);
            if (columns > 0 && rows > 0)
                total += rows * (1 + header.RowBytes(columns));
        }
        if (total > Array.MaxLength)
            ThrowHelper.ThrowFormat($"PNG image {header.Width}x{header.Height} is too large to hold in memory");
        return total;
    }

    /// <summary>
    /// Inflates exactly <paramref name="expected"/> bytes. The buffer grows with the data actually produced,
    /// so a tiny file that claims a huge size fails on truncation instead of allocating the full size up front.
    /// </summary>
    private byte[] Inflate(long expected)
    {
        compressed.Position = 0;
        var buffer = new byte[Math.Min(expected, 1 << 16)];
        int filled = 0;
        try
        {
            using var zlib = new ZLibStream(compressed, CompressionMode.Decompress);
            while (filled < expected)
            {
                if (filled == buffer.Length)
                    Array.Resize(ref buffer, (int)Math.Min(expected, 2L * buffer.Length));
                int read = zlib.Read(buffer, filled, buffer.Length - filled);
                if (read == 0)
                    break;
                filled += read;
            }
        }
        // Corrupt streams surface as InvalidDataException or, for some zlib error codes, as ZLibException (an IOException).
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw ThrowHelper.Format($"PNG image data is not valid zlib data ({e.Message})", e);
        }

        if (filled < expected)
            ThrowHelper.ThrowFormat($"PNG image data is truncated: inflated {filled} of {expected} bytes");
        return buffer;
    }

    private Image BuildImage(byte[] scanlines)
    {
        var writer = new PngPixelWriter(header, palette, paletteAlpha, transparent);
        int stride = header.FilterStride;
        int position = 0;
        int passIndex = 0;
        foreach (var pass in Passes)
        {
            int columns = pass.Columns(header.Width), rows = pass.Rows(header.Height);
            if (columns == 0 || rows == 0)
            {
                passIndex++;
                continue;
            }

            int rowBytes = (int)header.RowBytes(columns);
            // The row above the first row of each pass is defined as all zeros.
            ReadOnlySpan<byte> previous = new byte[rowBytes];
            for (int r = 0; r < rows; r++)
            {
                int filter = scanlines[position];
                if (filter >= PngFilters.Count)
                    ThrowHelper.ThrowFormat($"PNG row {r} of pass {passIndex} uses unknown filter type {filter}");
                var row = scanlines.AsSpan(position + 1, rowBytes);
                PngFilters.Unfilter(filter, row, previous, stride);
                writer.WriteRow(row, pass.StartY + r * pass.StepY, pass, columns);
                previous = row;
                position += 1 + rowBytes;
            }
            passIndex++;
        }

        return new Image(header.Width, header.Height, writer.Channels, writer.Data, writer.OutputBitDepth, writer.Alpha);
    }
}
