using System.Buffers.Binary;

namespace Hush.Imaging.Formats.Png;

/// <summary>The validated contents of an IHDR chunk, plus the row geometry derived from it.</summary>
internal readonly record struct PngHeader(int Width, int Height, int BitDepth, PngColorType ColorType, bool Interlaced)
{
    public const int Length = 13;

    /// <summary>Samples stored per pixel in the file (palette index counts as one).</summary>
    public int SamplesPerPixel => ColorType switch
    {
        PngColorType.Grey or PngColorType.Palette => 1,
        PngColorType.GreyAlpha => 2,
        PngColorType.Rgb => 3,
        _ => 4,
    };

    public int BitsPerPixel => SamplesPerPixel * BitDepth;

    /// <summary>Byte distance the filters look back: one whole pixel, but at least one byte.</summary>
    public int FilterStride => Math.Max(1, BitsPerPixel / 8);

    /// <summary>Bytes in one scanline of <paramref name="pixels"/> pixels, without the filter-type byte.</summary>
    public long RowBytes(int pixels) => ((long)pixels * BitsPerPixel + 7) / 8;

    public static PngHeader Parse(ReadOnlySpan<byte> data, DecoderLimits limits)
    {
        if (data.Length != Length)
            ThrowHelper.ThrowFormat($"PNG IHDR chunk has length {data.Length}, expected {Length}");

        uint width = BinaryPrimitives.ReadUInt32BigEndian(data);
        uint height = BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
        int bitDepth = data[8];
        int colorType = data[9];
        byte compression = data[10], filter = data[11], interlace = data[12];

        if (width == 0 || height == 0 || width > int.MaxValue || height > int.MaxValue)
            ThrowHelper.ThrowFormat($"PNG image has invalid dimensions {width}x{height}");
        if (!IsValidCombination(colorType, bitDepth))
            ThrowHelper.ThrowFormat($"PNG colour type {colorType} with bit depth {bitDepth} is not a valid combination");
        if (compression != 0)
            ThrowHelper.ThrowFormat($"PNG compression method {compression} is not supported (only 0)");
        if (filter != 0)
            ThrowHelper.ThrowFormat($"PNG filter method {filter} is not supported (only 0)");
        if (interlace > 1)
            ThrowHelper.ThrowFormat($"PNG interlace method {interlace} is not supported (only 0 and 1)");

        var header = new PngHeader((int)width, (int)height, bitDepth, (PngColorType)colorType, interlace == 1);
        // The colour array is the largest single allocation: one plane for grey, three otherwise.
        int planes = header.ColorType is PngColorType.Grey or PngColorType.GreyAlpha ? 1 : 3;
        ThrowHelper.CheckDimensions("PNG", width, height, planes, limits);
        return header;
    }

    private static bool IsValidCombination(int colorType, int bitDepth) => colorType switch
    {
        0 => bitDepth is 1 or 2 or 4 or 8 or 16,
        3 => bitDepth is 1 or 2 or 4 or 8,
        2 or 4 or 6 => bitDepth is 8 or 16,
        _ => false,
    };
}
