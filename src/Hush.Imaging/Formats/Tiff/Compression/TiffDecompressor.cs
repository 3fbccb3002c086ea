namespace Hush.Imaging.Formats.Tiff.Compression;

/// <summary>Dispatches one strip or tile to its decompressor, filling exactly <c>output.Length</c> bytes or failing.</summary>
internal static class TiffDecompressor
{
    public static void Decode(int compression, byte[] file, long offset, long count, Span<byte> output, string block)
    {
        var input = file.AsSpan((int)offset, (int)count);
        int written = compression switch
        {
            TiffCompressionCode.None => Copy(input, output),
            TiffCompressionCode.PackBits => PackBitsDecoder.Decode(input, output),
            TiffCompressionCode.Lzw => LzwDecoder.Decode(input, output),
            TiffCompressionCode.AdobeDeflate or TiffCompressionCode.Deflate => DeflateDecoder.Decode(file, (int)offset, (int)count, output),
            _ => throw ThrowHelper.Format($"unsupported TIFF compression {TiffCompressionCode.Name(compression)}"),
        };
        if (written < output.Length)
            ThrowHelper.ThrowFormat($"TIFF {block} is truncated: its {TiffCompressionCode.Name(compression)} data decodes to {written} of {output.Length} bytes");
    }

    private static int Copy(ReadOnlySpan<byte> input, Span<byte> output)
    {
        int n = Math.Min(input.Length, output.Length);
        input[..n].CopyTo(output);
        return n;
    }
}
