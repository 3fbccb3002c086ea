namespace Hush.Imaging.Formats.Pnm;

/// <summary>
/// Reads one Netpbm image (P2/P3 plain text, P5/P6 binary) from memory. Keeps a cursor over the bytes;
/// header tokens may be separated by any whitespace and '#' comments.
/// </summary>
internal ref struct PnmDecoderCore(ReadOnlySpan<byte> data, DecoderLimits limits)
{
    private readonly ReadOnlySpan<byte> data = data;
    private int position;

    /// <summary>Width, height, channels and maxval from the header alone.</summary>
    public (int Width, int Height, int Channels, int MaxValue) Identify()
    {
        var (width, height, maxValue, kind) = ReadHeader();
        return (width, height, kind is '3' or '6' ? 3 : 1, maxValue);
    }

    public Image Decode()
    {
        var (width, height, maxValue, kind) = ReadHeader();
        int channels = kind is '3' or '6' ? 3 : 1;
        long sampleCount = (long)width * height * channels;
        bool binary = kind is '5' or '6';
        CheckRasterLength(sampleCount, binary, maxValue);

        var samples = new float[sampleCount];
        int planeLength = width * height;
        float scale = maxValue;
        for (int i = 0; i < sampleCount; i++)
        {
            int value = binary ? ReadBinarySample(maxValue) : ReadNumber("sample", allowComments: true);
            if (value > maxValue)
                ThrowHelper.ThrowFormat($"PNM sample {value} exceeds maxval {maxValue}");
            // File order is interleaved per pixel; Image is planar.
            int pixel = i / channels, channel = i % channels;
            samples[channel * planeLength + pixel] = value / scale;
        }

        return new Image(width, height, channels, samples, maxValue > 255 ? 16 : 8) { MaxValue = maxValue };
    }

    private (int Width, int Height, int MaxValue, char Kind) ReadHeader()
    {
        if (data.Length < 2 || data[0] != (byte)'P')
            ThrowHelper.ThrowFormat("not a PNM file: missing the 'P' magic number");
        char kind = (char)data[1];
        if (kind is not ('2' or '3' or '5' or '6'))
            ThrowHelper.ThrowFormat($"PNM variant P{Printable(data[1])} is not supported (only P2, P3, P5, P6)");
        position = 2;
        if (position < data.Length && !IsWhitespace(data[position]) && data[position] != (byte)'#')
            ThrowHelper.ThrowFormat("PNM magic number must be followed by whitespace");

        int width = ReadHeaderNumber("width");
        int height = ReadHeaderNumber("height");
        int maxValue = ReadHeaderNumber("maxval");
        if (maxValue is < 1 or > 65535)
            ThrowHelper.ThrowFormat($"PNM maxval {maxValue} is out of range (1..65535)");
        ThrowHelper.CheckDimensions("PNM", width, height, kind is '3' or '6' ? 3 : 1, limits);
        return (width, height, maxValue, kind);
    }

    /// <summary>Refuses a raster shorter than the header promises, before allocating for it.</summary>
    private void CheckRasterLength(long sampleCount, bool binary, int maxValue)
    {
        if (binary)
        {
            // Exactly one whitespace byte separates maxval from the raster.
            if (position >= data.Length || !IsWhitespace(data[position]))
                ThrowHelper.ThrowFormat("PNM file is truncated: no raster after the header");
            position++;
            long needed = sampleCount * (maxValue > 255 ? 2 : 1);
            if (data.Length - position < needed)
                ThrowHelper.ThrowFormat($"PNM file is truncated: raster needs {needed} bytes, {data.Length - position} present");
        }
        else if (data.Length - position < 2 * sampleCount - 1)
        {
            // Every plain sample needs a digit and a separator; refuse before allocating for a short file.
            ThrowHelper.ThrowFormat($"PNM file is truncated: too few bytes for {sampleCount} plain-text samples");
        }
    }

    private int ReadBinarySample(int maxValue)
    {
        if (maxValue <= 255)
            return data[position++];
        int value = (data[position] << 8) | data[position + 1];
        position += 2;
        return value;
    }

    private int ReadHeaderNumber(string what)
    {
        int value = ReadNumber(what, allowComments: true);
        if (value == 0)
            ThrowHelper.ThrowFormat($"PNM {what} must be positive");
        return value;
    }

    private int ReadNumber(string what, bool allowComments)
    {
        SkipWhitespaceAndComments(allowComments);
        if (position >= data.Length)
            ThrowHelper.ThrowFormat($"PNM file is truncated: expected {what}");
        if (!char.IsAsciiDigit((char)data[position]))
            ThrowHelper.ThrowFormat($"PNM {what} is not a number (found '{Printable(data[position])}' at offset {position})");

        long value = 0;
        while (position < data.Length && char.IsAsciiDigit((char)data[position]))
        {
            value = value * 10 + (data[position] - '0');
            if (value > int.MaxValue)
                ThrowHelper.ThrowFormat($"PNM {what} is too large");
            position++;
        }
        return (int)value;
    }

    private void SkipWhitespaceAndComments(bool allowComments)
    {
        while (position < data.Length)
        {
            byte b = data[position];
            if (IsWhitespace(b))
            {
                position++;
            }
            else if (b == (byte)'#' && allowComments)
            {
                while (position < data.Length && data[position] != (byte)'\n' && data[position] != (byte)'\r')
                    position++;
            }
            else
            {
                break;
            }
        }
    }

    private static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0B or 0x0C;

    private static char Printable(byte b) => b is >= 0x20 and < 0x7F ? (char)b : '?';
}
