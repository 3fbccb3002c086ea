namespace Hush.Imaging.Formats.Tiff.Compression;

/// <summary>
/// TIFF LZW (TIFF 6.0 section 13): codes of 9 to 12 bits, most significant bit first; 256 clears the table,
/// 257 ends the data. The code width grows one code early ("early change": at 511, 1023 and 2047 entries),
/// as every TIFF 6.0 writer does. Files from pre-6.0 writers (old-style LZW, recognised like libtiff by a
/// first byte 0 and odd second byte) pack codes least significant bit first and grow late; both are read.
/// </summary>
internal static class LzwDecoder
{
    private const int ClearCode = 256;
    private const int EndCode = 257;
    private const int FirstFree = 258;
    private const int MaxCodes = 4096;

    public static int Decode(ReadOnlySpan<byte> input, Span<byte> output)
    {
        bool oldStyle = input.Length >= 2 && input[0] == 0 && (input[1] & 1) != 0;
        int earlyChange = oldStyle ? 0 : 1;

        // The table stores each string as (prefix code, last byte, length); strings are rebuilt backwards.
        Span<short> prefix = stackalloc short[MaxCodes];
        Span<byte> suffix = stackalloc byte[MaxCodes];
        Span<short> length = stackalloc short[MaxCodes];
        Span<byte> first = stackalloc byte[MaxCodes];
        for (int i = 0; i < 256; i++)
        {
            prefix[i] = -1;
            suffix[i] = (byte)i;
            first[i] = (byte)i;
            length[i] = 1;
        }

        int next = FirstFree, width = 9, previous = -1, written = 0;
        long bitPosition = 0, totalBits = (long)input.Length * 8;
        while (written < output.Length && bitPosition + width <= totalBits)
        {
            int code = oldStyle ? ReadLsbFirst(input, bitPosition, width) : ReadMsbFirst(input, bitPosition, width);
            bitPosition += width;

            if (code == EndCode)
                break;
            if (code == ClearCode)
            {
                next = FirstFree;
                width = 9;
                previous = -1;
                continue;
            }
            if (code > next || (code == next && previous < 0))
                ThrowHelper.ThrowFormat($"TIFF LZW data is corrupt: code {code} is not in the table (next free code {next})");

            if (previous >= 0 && next < MaxCodes)
            {
                // New entry: previous string + first byte of the current one (of itself when code == next, the KwKwK case).
                byte head = code == next ? first[previous] : first[code];
                prefix[next] = (short)previous;
                suffix[next] = head;
                first[next] = first[previous];
                length[next] = (short)(length[previous] + 1);
                next++;
            }
            else if (previous < 0 && code >= FirstFree)
            {
                ThrowHelper.ThrowFormat($"TIFF LZW data is corrupt: code {code} follows a clear code");
            }

            written += Emit(code, prefix, suffix, length, output[written..]);
            previous = code;
            if (next + earlyChange >= (1 << width) && width < 12)
                width++;
        }
        return written;
    }

    /// <summary>Writes the string for <paramref name="code"/>, cut to the space left, and returns the bytes written.</summary>
    private static int Emit(int code, ReadOnlySpan<short> prefix, ReadOnlySpan<byte> suffix, ReadOnlySpan<short> length, Span<byte> output)
    {
        int n = length[code];
        int kept = Math.Min(n, output.Length);
        // Walk from the end of the string to its start; skip the tail that does not fit.
        for (int i = n - 1; i >= 0; i--)
        {
            if (i < kept)
                output[i] = suffix[code];
            code = prefix[code];
        }
        return kept;
    }

    private static int ReadMsbFirst(ReadOnlySpan<byte> input, long bitPosition, int width)
    {
        int value = 0;
        for (int i = 0; i < width; i++, bitPosition++)
            value = (value << 1) | ((input[(int)(bitPosition >> 3)] >> (7 - (int)(bitPosition & 7))) & 1);
        return value;
    }

    private static int ReadLsbFirst(ReadOnlySpan<byte> input, long bitPosition, int width)
    {
        int value = 0;
        for (int i = 0; i < width; i++, bitPosition++)
            value |= ((input[(int)(bitPosition >> 3)] >> (int)(bitPosition & 7)) & 1) << i;
        return value;
    }
}
