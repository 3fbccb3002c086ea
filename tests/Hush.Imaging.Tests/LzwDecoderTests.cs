using Hush.Imaging.Formats.Tiff.Compression;

namespace Hush.Imaging.Tests;

/// <summary>
/// The LZW decoder against a small reference encoder written here from TIFF 6.0 section 13, for both the
/// TIFF 6.0 code layout (MSB first, early change) and old-style LZW (LSB first, late change).
/// </summary>
public class LzwDecoderTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Decodes_what_the_reference_encoder_writes(bool oldStyle)
    {
        var random = new Random(oldStyle ? 1 : 2);
        // Runs (long strings, the KwKwK case), noise (many codes, table clears) and a mix.
        var data = new byte[60_000];
        for (int i = 0; i < data.Length; i++)
            data[i] = i < 20_000 ? (byte)(i / 5000) : i < 40_000 ? (byte)random.Next(256) : (byte)(random.Next(4) * (i % 7));
        byte[] encoded = Encode(data, oldStyle);
        var output = new byte[data.Length];
        Assert.Equal(data.Length, LzwDecoder.Decode(encoded, output));
        Assert.Equal(data, output);
    }

    [Fact]
    public void Output_is_capped_at_the_block_size()
    {
        byte[] encoded = Encode(new byte[10_000], oldStyle: false);
        var output = new byte[100];
        Assert.Equal(100, LzwDecoder.Decode(encoded, output));
    }

    [Fact]
    public void A_code_beyond_the_table_is_rejected()
    {
        // Clear (256), literal 'A', then code 300 while the next free code is 258: MSB-first 9-bit codes.
        byte[] encoded = Pack([256, 65, 300], oldStyle: false);
        var e = Assert.Throws<ImageFormatException>(() => LzwDecoder.Decode(encoded, new byte[10]));
        Assert.Contains("code 300 is not in the table", e.Message);
    }

    /// <summary>Reference encoder: Clear first, table reset (Clear) when full, EOI at the end.</summary>
    private static byte[] Encode(byte[] data, bool oldStyle)
    {
        var codes = new List<(int Code, int Width)>();
        var table = new Dictionary<(int, byte), int>();
        int next = 258, width = 9;
        // The encoder is one entry ahead of the decoder: TIFF 6.0 grows the width when the encoder's table
        // reaches 512 entries (the decoder sees 511: "early change"); old-style writers grew one entry later.
        int late = oldStyle ? 1 : 0;
        codes.Add((256, width));
        int current = data[0];
        for (int i = 1; i < data.Length; i++)
        {
            if (table.TryGetValue((current, data[i]), out int code))
            {
                current = code;
                continue;
            }
            codes.Add((current, width));
            table[(current, data[i])] = next++;
            if (next - late >= 1 << width && width < 12)
                width++;
            if (next >= 4093)
            {
                codes.Add((256, width));
                table.Clear();
                next = 258;
                width = 9;
            }
            current = data[i];
        }
        codes.Add((current, width));
        next++;
        if (next - late >= 1 << width && width < 12)
            width++;
        codes.Add((257, width));
        return Pack(codes, oldStyle);
    }

    private static byte[] Pack(int[] codes, bool oldStyle) => Pack([.. codes.Select(c => (c, 9))], oldStyle);

    private static byte[] Pack(List<(int Code, int Width)> codes, bool oldStyle)
    {
        var bits = new List<bool>();
        foreach (var (code, width) in codes)
        {
            for (int b = 0; b < width; b++)
                bits.Add(((code >> (oldStyle ? b : width - 1 - b)) & 1) != 0);
        }
        var bytes = new byte[(bits.Count + 7) / 8];
        for (int i = 0; i < bits.Count; i++)
        {
            if (bits[i])
                bytes[i / 8] |= (byte)(oldStyle ? 1 << (i % 8) : 0x80 >> (i % 8));
        }
        return bytes;
    }
}
