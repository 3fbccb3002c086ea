using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using Hush.Imaging.Formats.Png;

namespace Hush.Imaging.Tests;

/// <summary>Damaged PNGs must either decode or fail with <see cref="ImageFormatException"/>, nothing else.</summary>
public class MalformedPngTests
{
    public static TheoryData<string> Seeds() => new() { "basn0g01.png", "basi3p02.png", "basn6a16.png", "basi2c16.png", "tbbn3p08.png", "f04n2c08.png" };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Truncation_and_byte_flips_only_raise_format_errors(string seedFile)
    {
        byte[] valid = File.ReadAllBytes(TestData.PngSuite(seedFile));
        var damage =
            from mode in Gen.Choose(0, 2)
            from cut in Gen.Choose(0, valid.Length - 1)
            from position in Gen.Choose(0, valid.Length - 1)
            from value in Gen.Choose(0, 255)
            select (mode, cut, position, value);

        Prop.ForAll(damage.ToArbitrary(), d =>
        {
            byte[] bytes = d.mode switch
            {
                0 => valid[..d.cut],
                1 => Flip(valid, d.position, d.value, fixCrc: false),
                // Re-computing CRCs lets the damage reach the header, zlib and filter stages.
                _ => Flip(valid, d.position, d.value, fixCrc: true),
            };
            return DecodesOrRejectsCleanly(bytes);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(400));
    }

    private static bool DecodesOrRejectsCleanly(byte[] bytes)
    {
        try
        {
            var image = PngDecoder.Decode(bytes);
            return image.Data.All(v => v is >= 0f and <= 1f);
        }
        catch (ImageFormatException e)
        {
            return e.Message.Length > 0 && !e.Message.Contains('\n');
        }
    }

    private static byte[] Flip(byte[] valid, int position, int value, bool fixCrc)
    {
        var bytes = (byte[])valid.Clone();
        bytes[position] ^= (byte)Math.Max(1, value);
        if (fixCrc)
            RecomputeCrcs(bytes);
        return bytes;
    }

    private static void RecomputeCrcs(byte[] bytes)
    {
        int offset = 8;
        while (offset + 12 <= bytes.Length)
        {
            uint length = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(offset));
            if (length > bytes.Length - offset - 12)
                return;
            uint crc = PngCrc32.Compute(bytes.AsSpan(offset + 4, 4 + (int)length));
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(offset + 8 + (int)length), crc);
            offset += 12 + (int)length;
        }
    }

    [Fact]
    public void Every_prefix_of_a_valid_file_is_rejected()
    {
        byte[] valid = File.ReadAllBytes(TestData.PngSuite("basi0g04.png"));
        for (int length = 0; length < valid.Length; length++)
        {
            var e = Assert.Throws<ImageFormatException>(() => PngDecoder.Decode(valid.AsSpan(0, length)));
            Assert.False(string.IsNullOrWhiteSpace(e.Message));
        }
    }

    [Fact]
    public void Crc_matches_the_reference_value()
    {
        // CRC-32 of "IEND" with no data is the well-known trailer AE 42 60 82.
        Assert.Equal(0xAE426082u, PngCrc32.Compute("IEND"u8));
    }
}
