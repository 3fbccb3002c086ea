namespace Hush.Imaging.Formats.Png;

/// <summary>
/// Unpacks unfiltered scanlines (1/2/4/8/16-bit samples) and stores them as normalised floats in the
/// planar output, resolving palette indices and tRNS transparency on the way.
/// </summary>
internal sealed class PngPixelWriter
{
    private readonly PngHeader header;
    private readonly byte[]? palette;        // RGB triples
    private readonly byte[]? paletteAlpha;   // one alpha per palette entry, or null when opaque
    private readonly ushort[]? transparent;  // tRNS key colour for grey (1 value) or RGB (3 values)
    private readonly int planeLength;
    private readonly float maxValue;         // 2^bitDepth - 1: sample v maps to v / maxValue

    /// <param name="allocate">False to learn <see cref="Channels"/>, <see cref="HasAlpha"/> and the bit depth only.</param>
    public PngPixelWriter(PngHeader header, byte[]? palette, byte[]? paletteAlpha, ushort[]? transparent, bool allocate = true)
    {
        this.header = header;
        this.palette = palette;
        this.paletteAlpha = paletteAlpha;
        this.transparent = transparent;
        planeLength = header.Width * header.Height;
        maxValue = (1 << header.BitDepth) - 1;

        Channels = header.ColorType is PngColorType.Grey or PngColorType.GreyAlpha ? 1 : 3;
        HasAlpha = header.ColorType is PngColorType.GreyAlpha or PngColorType.RgbAlpha
            || paletteAlpha != null || transparent != null;
        Data = allocate ? new float[Channels * planeLength] : [];
        Alpha = HasAlpha && allocate ? new float[planeLength] : null;
    }

    public bool HasAlpha { get; }

    public int Channels { get; }

    public float[] Data { get; }

    public float[]? Alpha { get; }

    /// <summary>Palette images are expanded to 8-bit RGB, everything else keeps the file's depth.</summary>
    public int OutputBitDepth => header.ColorType == PngColorType.Palette ? 8 : header.BitDepth;

    /// <summary>Stores <paramref name="columns"/> pixels of <paramref name="row"/> at image row y, placed by the pass grid.</summary>
    public void WriteRow(ReadOnlySpan<byte> row, int y, PngPass pass, int columns)
    {
        int samples = header.SamplesPerPixel;
        Span<int> pixel = stackalloc int[4];
        for (int i = 0; i < columns; i++)
        {
            for (int s = 0; s < samples; s++)
                pixel[s] = ReadSample(row, i * samples + s);
            int offset = y * header.Width + pass.StartX + i * pass.StepX;
            Store(pixel, offset);
        }
    }

    private int ReadSample(ReadOnlySpan<byte> row, int index)
    {
        int depth = header.BitDepth;
        switch (depth)
        {
            case 8:
                return row[index];
            case 16:
                return (row[2 * index] << 8) | row[2 * index + 1];
            default:
                // Sub-byte samples are packed most significant bits first.
                int bit = index * depth;
                int shift = 8 - depth - (bit & 7);
                return (row[bit >> 3] >> shift) & ((1 << depth) - 1);
        }
    }

    private void Store(ReadOnlySpan<int> pixel, int offset)
    {
        switch (header.ColorType)
        {
            case PngColorType.Grey:
                Data[offset] = pixel[0] / maxValue;
                if (Alpha != null)
                    Alpha[offset] = pixel[0] == transparent![0] ? 0f : 1f;
                break;
            case PngColorType.GreyAlpha:
                Data[offset] = pixel[0] / maxValue;
                Alpha![offset] = pixel[1] / maxValue;
                break;
            case PngColorType.Rgb:
                StoreRgb(pixel, offset);
                if (Alpha != null)
                {
                    bool key = pixel[0] == transparent![0] && pixel[1] == transparent[1] && pixel[2] == transparent[2];
                    Alpha[offset] = key ? 0f : 1f;
                }
                break;
            case PngColorType.RgbAlpha:
                StoreRgb(pixel, offset);
                Alpha![offset] = pixel[3] / maxValue;
                break;
            case PngColorType.Palette:
                StorePaletteEntry(pixel[0], offset);
                break;
        }
    }

    private void StorePaletteEntry(int index, int offset)
    {
        int entries = palette!.Length / 3;
        if (index >= entries)
            ThrowHelper.ThrowFormat($"PNG palette index {index} is out of range (palette has {entries} entries)");
        Data[offset] = palette[3 * index] / 255f;
        Data[planeLength + offset] = palette[3 * index + 1] / 255f;
        Data[2 * planeLength + offset] = palette[3 * index + 2] / 255f;
        if (Alpha != null)
            Alpha[offset] = index < paletteAlpha!.Length ? paletteAlpha[index] / 255f : 1f;
    }

    private void StoreRgb(ReadOnlySpan<int> pixel, int offset)
    {
        Data[offset] = pixel[0] / maxValue;
        Data[planeLength + offset] = pixel[1] / maxValue;
        Data[2 * planeLength + offset] = pixel[2] / maxValue;
    }
}
