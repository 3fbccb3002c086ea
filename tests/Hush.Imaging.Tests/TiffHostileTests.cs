using System.Buffers.Binary;

namespace Hush.Imaging.Tests;

/// <summary>Hand-made hostile TIFFs that the shared fixtures do not cover.</summary>
public class TiffHostileTests
{
    [Fact]
    public void Many_pages_sharing_one_huge_strip_table_are_rejected_quickly()
    {
        // 20,000 IFDs, each a 1 x 65536 image whose 65536 StripOffsets/StripByteCounts point at the same two
        // tables. Reading every page's tables would mean 2.6 billion values; the reader must stop early.
        const int strips = 65536, pages = 20_000;
        var file = new MemoryStream();
        file.Write([(byte)'I', (byte)'I', 42, 0, 0, 0, 0, 0]);
        long offsets = file.Position;
        for (int i = 0; i < strips; i++)
            file.Write(BitConverter.GetBytes(8u));
        long counts = file.Position;
        for (int i = 0; i < strips; i++)
            file.Write(BitConverter.GetBytes(1u));
        long first = file.Position;
        for (int p = 0; p < pages; p++)
        {
            long next = p + 1 < pages ? file.Position + 90 : 0;
            file.Write(BitConverter.GetBytes((ushort)7));
            Entry(file, 256, 3, 1, 1);
            Entry(file, 257, 4, 1, strips);
            Entry(file, 258, 3, 1, 8);
            Entry(file, 262, 3, 1, 1);
            Entry(file, 273, 4, strips, (uint)offsets);
            Entry(file, 278, 4, 1, 1);
            Entry(file, 279, 4, strips, (uint)counts);
            file.Write(BitConverter.GetBytes((uint)next));
        }
        byte[] bytes = file.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), (uint)first);

        var (error, _) = FixtureAssert.RunWithin(() => TiffDecoder.Decode(bytes), TimeSpan.FromSeconds(5));
        var e = Assert.IsType<ImageFormatException>(error);
        Assert.Contains("IFDs sharing one table", e.Message);
    }

    [Fact]
    public void Deflate_bomb_is_refused_before_inflating()
    {
        // A valid-looking 1024 x 1024 uint16 page whose single strip is 100 bytes of Deflate: 2 MB cannot come from it.
        var stack = new ImageStack("YX", [1024, 1024], SampleType.UInt16);
        using var stream = new MemoryStream();
        TiffEncoder.Encode(stack, stream, new TiffEncoderOptions { Compression = TiffCompression.Deflate });
        byte[] bytes = stream.ToArray();
        // All-zero data compresses to about 2 KB over 32 strips, so each 64 KB strip is a 1000:1 expansion at most;
        // shrinking the first strip's byte count to 10 makes 65536 bytes impossible.
        var strip = TiffFieldLocatorProbe.FirstStripByteCountField(bytes);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(strip), 10);
        var e = Assert.Throws<ImageFormatException>(() => TiffDecoder.Decode(bytes));
        Assert.Contains("more than its 10 compressed bytes can hold", e.Message);
    }

    private static void Entry(Stream file, ushort tag, ushort type, uint count, uint value)
    {
        file.Write(BitConverter.GetBytes(tag));
        file.Write(BitConverter.GetBytes(type));
        file.Write(BitConverter.GetBytes(count));
        file.Write(BitConverter.GetBytes(value));
    }
}

/// <summary>Finds where the first StripByteCounts value of a little-endian classic TIFF is stored.</summary>
internal static class TiffFieldLocatorProbe
{
    public static int FirstStripByteCountField(byte[] file)
    {
        int ifd = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(4));
        int count = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(ifd));
        for (int i = 0; i < count; i++)
        {
            int entry = ifd + 2 + 12 * i;
            if (BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(entry)) != 279)
                continue;
            uint values = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(entry + 4));
            return values == 1 ? entry + 8 : (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(entry + 8));
        }
        throw new InvalidOperationException("no StripByteCounts");
    }
}
