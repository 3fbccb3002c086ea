namespace Hush.Imaging.Formats.Tiff.Compression;

/// <summary>
/// PackBits (TIFF 6.0 section 9): a header byte n, then n+1 literal bytes (n in 0..127) or one byte
/// repeated 1-n times (n in -127..-1); -128 is a no-op. Decoding stops once the output is full.
/// </summary>
internal static class PackBitsDecoder
{
    public static int Decode(ReadOnlySpan<byte> input, Span<byte> output)
    {
        int read = 0, written = 0;
        while (written < output.Length && read < input.Length)
        {
            int n = (sbyte)input[read++];
            if (n >= 0)
            {
                int count = Math.Min(n + 1, Math.Min(input.Length - read, output.Length - written));
                input.Slice(read, count).CopyTo(output[written..]);
                read += count;
                written += count;
            }
            else if (n != -128)
            {
                if (read >= input.Length)
                    break;
                int count = Math.Min(1 - n, output.Length - written);
                output.Slice(written, count).Fill(input[read++]);
                written += count;
            }
        }
        return written;
    }
}
