using System.IO.Compression;

namespace Hush.Imaging.Formats.Tiff.Compression;

/// <summary>
/// Adobe Deflate (code 8) and the older code 32946: both hold one zlib stream per strip or tile.
/// Inflates only as many bytes as the block needs, so a decompression bomb cannot grow past them.
/// </summary>
internal static class DeflateDecoder
{
    public static int Decode(byte[] file, int offset, int count, Span<byte> output)
    {
        int written = 0;
        try
        {
            using var zlib = new ZLibStream(new MemoryStream(file, offset, count, writable: false), CompressionMode.Decompress);
            while (written < output.Length)
            {
                int read = zlib.Read(output[written..]);
                if (read == 0)
                    break;
                written += read;
            }
        }
        // Corrupt streams surface as InvalidDataException or, for some zlib error codes, as an IOException.
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw ThrowHelper.Format($"TIFF Deflate data is not a valid zlib stream ({e.Message})", e);
        }
        return written;
    }
}
