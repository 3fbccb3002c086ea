namespace Hush.Imaging.Formats.Tiff;

/// <summary>
/// One IFD entry: tag, type, count, and where its values are (inline in the entry or at an offset).
/// Values are read on demand, after checking that count times size fits inside the file.
/// </summary>
internal sealed record TiffEntry(int Tag, int Type, long Count, long ValueOffset)
{
    /// <summary>Integer values of a BYTE/SHORT/LONG/LONG8/IFD entry (signed types too).</summary>
    public long[] ReadIntegers(TiffByteReader reader)
    {
        int size = TiffFieldType.Size(Type);
        if (Type is not (TiffFieldType.Byte or TiffFieldType.Short or TiffFieldType.Long or TiffFieldType.Long8
            or TiffFieldType.SByte or TiffFieldType.SShort or TiffFieldType.SLong or TiffFieldType.SLong8
            or TiffFieldType.Ifd or TiffFieldType.Ifd8 or TiffFieldType.Undefined))
            ThrowHelper.ThrowFormat($"TIFF tag {Tag} has field type {Type}, expected an integer type");
        if (Count > reader.Length / size)
            ThrowHelper.ThrowFormat($"TIFF tag {Tag} claims {Count} values, more than the {reader.Length}-byte file can hold");
        var bytes = reader.Slice(ValueOffset, Count * size, $"tag {Tag} values");
        reader.ChargeValues(Count, Tag);
        var values = new long[Count];
        for (int i = 0; i < values.Length; i++)
        {
            long at = ValueOffset + (long)i * size;
            values[i] = Type switch
            {
                TiffFieldType.Byte or TiffFieldType.Undefined => bytes[i],
                TiffFieldType.SByte => (sbyte)bytes[i],
                TiffFieldType.Short => reader.UInt16(at, "value"),
                TiffFieldType.SShort => (short)reader.UInt16(at, "value"),
                TiffFieldType.Long or TiffFieldType.Ifd => reader.UInt32(at, "value"),
                TiffFieldType.SLong => (int)reader.UInt32(at, "value"),
                _ => CheckedLong(reader.UInt64(at, "value")),
            };
        }
        return values;
    }

    /// <summary>Text of an ASCII entry, up to the first NUL. Decoded as UTF-8, as ImageJ and OME writers use it.</summary>
    public string ReadText(TiffByteReader reader)
    {
        if (Type is not (TiffFieldType.Ascii or TiffFieldType.Byte or TiffFieldType.Undefined))
            ThrowHelper.ThrowFormat($"TIFF tag {Tag} has field type {Type}, expected ASCII");
        var bytes = reader.Slice(ValueOffset, Count, $"tag {Tag} text");
        reader.ChargeValues(Count, Tag);
        int end = bytes.IndexOf((byte)0);
        return System.Text.Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]);
    }

    private long CheckedLong(ulong value)
    {
        if (value > long.MaxValue)
            ThrowHelper.ThrowFormat($"TIFF tag {Tag} holds the value {value}, too large to be an offset or size");
        return (long)value;
    }
}
