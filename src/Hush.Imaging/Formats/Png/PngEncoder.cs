using System.Buffers.Binary;
using System.IO.Compression;
using Hush.Imaging.Formats;
using Hush.Imaging.Formats.Png;

namespace Hush.Imaging;

/// <summary>
/// Writes an <see cref="Image"/> as a non-interlaced PNG with 8 or 16 bits per sample:
/// grey becomes colour type 0 (4 with alpha), RGB colour type 2 (6 with alpha).
/// </summary>
public static class PngEncoder
{
    // Big IDAT payloads are split so no single chunk gets unwieldy for other readers.
    private const int MaxIdatLength = 1 << 20;

    /// <summary>Writes <paramref name="image"/> as PNG with 8 or 16 bits per sample.</summary>
    public static void Encode(Image image, Stream stream, int bitDepth = 8)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(stream);
        SampleQuantizer.CheckBitDepth(bitDepth);
        if (image.Channels is not (1 or 3))
            throw new ArgumentException($"PNG can store 1 (grey) or 3 (RGB) colour channels, not {image.Channels}; put alpha in Image.Alpha.", nameof(image));

        var colorType = (image.Channels, image.HasAlpha) switch
        {
            (1, false) => PngColorType.Grey,
            (1, true) => PngColorType.GreyAlpha,
            (_, false) => PngColorType.Rgb,
            _ => PngColorType.RgbAlpha,
        };
        var header = new PngHeader(image.Width, image.Height, bitDepth, colorType, Interlaced: false);

        stream.Write(PngSignature.Bytes);
        PngChunkWriter.Write(stream, "IHDR", HeaderBytes(header));

        byte[] idat = CompressScanlines(image, header);
        for (int offset = 0; offset < idat.Length; offset += MaxIdatLength)
            PngChunkWriter.Write(stream, "IDAT", idat.AsSpan(offset, Math.Min(MaxIdatLength, idat.Length - offset)));
        PngChunkWriter.Write(stream, "IEND", []);
    }

    private static byte[] HeaderBytes(PngHeader header)
    {
        var data = new byte[PngHeader.Length];
        BinaryPrimitives.WriteUInt32BigEndian(data, (uint)header.Width);
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(4), (uint)header.Height);
        data[8] = (byte)header.BitDepth;
        data[9] = (byte)header.ColorType;
        return data; // compression, filter and interlace methods all 0
    }

    private static byte[] CompressScanlines(Image image, PngHeader header)
    {
        int rowBytes = (int)header.RowBytes(image.Width);
        int stride = header.FilterStride;
        var previous = new byte[rowBytes];
        var current = new byte[rowBytes];
        var filtered = new byte[rowBytes];
        var best = new byte[rowBytes];

        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            for (int y = 0; y < image.Height; y++)
            {
                PackRow(image, header, y, current);
                int filter = ChooseFilter(current, previous, stride, filtered, best);
                zlib.WriteByte((byte)filter);
                zlib.Write(best);
                (previous, current) = (current, previous);
            }
        }
        return output.ToArray();
    }

    /// <summary>
    /// Tries all five filters and keeps the one whose output has the smallest sum of absolute
    /// values (bytes read as signed), the usual heuristic for what deflate compresses best.
    /// </summary>
    private static int ChooseFilter(byte[] row, byte[] previous, int stride, byte[] scratch, byte[] best)
    {
        int bestFilter = 0;
        long bestCost = long.MaxValue;
        for (int type = 0; type < PngFilters.Count; type++)
        {
            PngFilters.Filter(type, row, previous, stride, scratch);
            long cost = 0;
            foreach (byte b in scratch)
                cost += Math.Abs((int)(sbyte)b);
            if (cost < bestCost)
            {
                bestCost = cost;
                bestFilter = type;
                scratch.AsSpan().CopyTo(best);
            }
        }
        return bestFilter;
    }

    /// <summary>Interleaves colour (and alpha) samples of row y as big-endian 8- or 16-bit values.</summary>
    private static void PackRow(Image image, PngHeader header, int y, byte[] row)
    {
        int maxValue = (1 << header.BitDepth) - 1;
        int samples = header.SamplesPerPixel;
        int planeLength = image.Width * image.Height;
        int rowStart = y * image.Width;
        for (int x = 0; x < image.Width; x++)
        {
            for (int s = 0; s < samples; s++)
            {
                float value = s < image.Channels
                    ? image.Data[s * planeLength + rowStart + x]
                    : image.Alpha![rowStart + x];
                int sample = SampleQuantizer.Quantize(value, maxValue);
                int index = x * samples + s;
                if (header.BitDepth == 8)
                {
                    row[index] = (byte)sample;
                }
                else
                {
                    row[2 * index] = (byte)(sample >> 8);
                    row[2 * index + 1] = (byte)sample;
                }
            }
        }
    }
}
