using System.Buffers.Binary;

namespace Hush.Imaging.Formats.Tiff;

/// <summary>
/// Undoes the TIFF predictors on one decoded row of a strip or tile, in place.
/// Predictor 2 (TIFF 6.0 section 14) adds each sample to the same sample of the previous pixel, modulo
/// its bit width. Predictor 3 (Adobe Technical Note 3) adds bytes, then regroups the byte planes
/// (most significant plane first, whatever the file's byte order) back into samples.
/// </summary>
internal static class TiffPredictors
{
    /// <param name="row">One row: <paramref name="pixels"/> pixels of <paramref name="samplesPerPixel"/> samples.</param>
    public static void UndoHorizontal(Span<byte> row, int pixels, int samplesPerPixel, int bits, bool bigEndian)
    {
        int count = pixels * samplesPerPixel;
        switch (bits)
        {
            case 8:
                for (int i = samplesPerPixel; i < count; i++)
                    row[i] += row[i - samplesPerPixel];
                break;
            case 16:
                for (int i = samplesPerPixel; i < count; i++)
                    Write16(row, i, (ushort)(Read16(row, i, bigEndian) + Read16(row, i - samplesPerPixel, bigEndian)), bigEndian);
                break;
            case 32:
                for (int i = samplesPerPixel; i < count; i++)
                    Write32(row, i, Read32(row, i, bigEndian) + Read32(row, i - samplesPerPixel, bigEndian), bigEndian);
                break;
            case 64:
                for (int i = samplesPerPixel; i < count; i++)
                    Write64(row, i, Read64(row, i, bigEndian) + Read64(row, i - samplesPerPixel, bigEndian), bigEndian);
                break;
            default:
                ThrowHelper.ThrowFormat($"TIFF predictor 2 with {bits}-bit samples is not supported");
                break;
        }
    }

    /// <summary>Undoes predictor 3 on one row and leaves each sample's bytes in the file's byte order.</summary>
    public static void UndoFloatingPoint(Span<byte> row, Span<byte> scratch, int pixels, int samplesPerPixel, int bytesPerSample, bool bigEndian)
    {
        int samples = pixels * samplesPerPixel;
        int length = samples * bytesPerSample;
        var bytes = row[..length];
        for (int i = samplesPerPixel; i < length; i++)
            bytes[i] += bytes[i - samplesPerPixel];

        var planes = scratch[..length];
        bytes.CopyTo(planes);
        for (int s = 0; s < samples; s++)
        {
            for (int b = 0; b < bytesPerSample; b++)
            {
                // Plane 0 holds the most significant bytes; store them where the file's byte order expects.
                int target = bigEndian ? b : bytesPerSample - 1 - b;
                bytes[s * bytesPerSample + target] = planes[b * samples + s];
            }
        }
    }

    private static ushort Read16(Span<byte> row, int i, bool be) =>
        be ? BinaryPrimitives.ReadUInt16BigEndian(row[(2 * i)..]) : BinaryPrimitives.ReadUInt16LittleEndian(row[(2 * i)..]);

    private static void Write16(Span<byte> row, int i, ushort v, bool be)
    {
        if (be) BinaryPrimitives.WriteUInt16BigEndian(row[(2 * i)..], v);
        else BinaryPrimitives.WriteUInt16LittleEndian(row[(2 * i)..], v);
    }

    private static uint Read32(Span<byte> row, int i, bool be) =>
        be ? BinaryPrimitives.ReadUInt32BigEndian(row[(4 * i)..]) : BinaryPrimitives.ReadUInt32LittleEndian(row[(4 * i)..]);

    private static void Write32(Span<byte> row, int i, uint v, bool be)
    {
        if (be) BinaryPrimitives.WriteUInt32BigEndian(row[(4 * i)..], v);
        else BinaryPrimitives.WriteUInt32LittleEndian(row[(4 * i)..], v);
    }

    private static ulong Read64(Span<byte> row, int i, bool be) =>
        be ? BinaryPrimitives.ReadUInt64BigEndian(row[(8 * i)..]) : BinaryPrimitives.ReadUInt64LittleEndian(row[(8 * i)..]);

    private static void Write64(Span<byte> row, int i, ulong v, bool be)
    {
        if (be) BinaryPrimitives.WriteUInt64BigEndian(row[(8 * i)..], v);
        else BinaryPrimitives.WriteUInt64LittleEndian(row[(8 * i)..], v);
    }
}
