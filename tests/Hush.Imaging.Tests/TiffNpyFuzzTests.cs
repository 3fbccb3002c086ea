using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;

namespace Hush.Imaging.Tests;

/// <summary>
/// Damaged TIFF and NPY files (truncated, bytes flipped, IFD counts and offsets or NPY header fields replaced)
/// must decode to a valid stack or fail with <see cref="ImageFormatException"/>: never another exception, never
/// a hang, and never allocating more than small limits allow.
/// </summary>
public class TiffNpyFuzzTests
{
    // A few hundred cases per seed keep the suite fast; set HUSH_FUZZ_CASES for a deeper run.
    private static readonly int CasesPerSeed =
        int.TryParse(Environment.GetEnvironmentVariable("HUSH_FUZZ_CASES"), out int cases) && cases > 0 ? cases : 150;

    private static readonly DecoderLimits Small = new(MaxWidth: 1024, MaxHeight: 1024, MaxPixels: 1 << 18)
    {
        MaxDecodedBytes = 4 << 20,
        MaxPages = 32,
    };

    public static TheoryData<string> TiffSeeds() => new()
    {
        "gray_u16_lzw_strips.tif", "gray_u8_lzw_pred2_large_300x200.tif", "gray_u16_zip_pred2_tiles16.tif",
        "rgb_u8_packbits_contig.tif", "bigtiff_stack_f32_3pages.tif", "imagej_u16_zcyx_hyperstack.tif",
        "ome_f32_tzyx_deflate_tiles.ome.tif", "gray_f32_lzw_pred3_strips.tif", "bilevel_1bit_packbits.tif",
        "rgb_u16_deflate_pred2_tiles16_separate_be.tif",
    };

    public static TheoryData<string> NpySeeds() => new()
    {
        "gray_f32_2d.npy", "stack_f32_zyx_be_fortran.npy", "gray_u16_2d_v3.npy", "gray_u16_2d_handmade_header.npy",
    };

    [Theory]
    [MemberData(nameof(TiffSeeds))]
    public void Damaged_tiff_decodes_or_is_rejected_cleanly(string seed)
    {
        byte[] valid = File.ReadAllBytes(TestData.Data("formats", "tiff", seed));
        var fields = TiffFieldLocator.Find(valid);
        var damage =
            from mode in Gen.Choose(0, 3)
            from position in Gen.Choose(0, valid.Length - 1)
            from value in Gen.Choose(1, 255)
            from field in Gen.Choose(0, fields.Count - 1)
            from pick in Gen.Choose(0, 7)
            from random in Gen.Choose(0, int.MaxValue)
            select mode switch
            {
                0 => valid[..position],
                1 => Flip(valid, position, value),
                2 => Flip(Flip(valid, position, value), (position * 7 + value) % valid.Length, value ^ 0x5A),
                _ => SetField(valid, fields[field], Interesting(pick, random, valid.Length)),
            };

        Prop.ForAll(damage.ToArbitrary(), bytes => DecodesOrRejectsCleanly(bytes, b => TiffDecoder.Decode(b, Small)))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(CasesPerSeed));
    }

    [Theory]
    [MemberData(nameof(NpySeeds))]
    public void Damaged_npy_decodes_or_is_rejected_cleanly(string seed)
    {
        byte[] valid = File.ReadAllBytes(TestData.Data("formats", "npy", seed));
        int headerEnd = valid[6] == 1 ? 10 + BinaryPrimitives.ReadUInt16LittleEndian(valid.AsSpan(8)) : 12 + (int)BinaryPrimitives.ReadUInt32LittleEndian(valid.AsSpan(8));
        const string tokens = "0123456789(), '-:{}TrueFals<>|uif8421\n";
        var damage =
            from mode in Gen.Choose(0, 3)
            from position in Gen.Choose(0, valid.Length - 1)
            from headerPosition in Gen.Choose(6, headerEnd - 1)
            from token in Gen.Choose(0, tokens.Length - 1)
            from value in Gen.Choose(1, 255)
            from length in Gen.Choose(0, 70000)
            select mode switch
            {
                0 => valid[..position],
                1 => Flip(valid, position, value),
                2 => Set(valid, headerPosition, (byte)tokens[token]),
                _ => SetHeaderLength(valid, length),
            };

        Prop.ForAll(damage.ToArbitrary(), bytes => DecodesOrRejectsCleanly(bytes, b => NpyDecoder.Decode(b, Small)))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(CasesPerSeed));
    }

    private static bool DecodesOrRejectsCleanly(byte[] bytes, Func<byte[], ImageStack> decode)
    {
        ImageStack? stack = null;
        var (error, allocated) = FixtureAssert.RunWithin(() => stack = decode(bytes), TimeSpan.FromSeconds(5));
        // Decoded sample data, its float32 copy, float64 copy, a transpose and block buffers stay within a
        // few multiples of MaxDecodedBytes; anything sized from a hostile header would blow far past this.
        long bound = 10 * Small.MaxDecodedBytes + 20L * bytes.Length + (2 << 20);
        if (allocated > bound)
            throw new Exception($"decoder allocated {allocated} bytes, over {bound} (error: {error?.Message ?? "none"})");
        if (error is ImageFormatException e)
            return e.Message.Length > 0 && !e.Message.Contains('\n');
        if (error != null)
            throw new Exception($"decoder threw {error.GetType().Name} instead of ImageFormatException: {error.Message}", error);
        return stack!.Length == stack.Shape.Aggregate(1L, (a, b) => a * b) && stack.Length * 4 <= Small.MaxDecodedBytes;
    }

    private static long Interesting(int pick, int random, int fileLength) => pick switch
    {
        0 => 0,
        1 => 1,
        2 => 0xFFFF,
        3 => 0xFFFFFFFF,
        4 => fileLength,
        5 => fileLength - 1,
        6 => random % (fileLength + 16),
        _ => random,
    };

    private static byte[] Flip(byte[] valid, int position, int value)
    {
        var bytes = (byte[])valid.Clone();
        bytes[position] ^= (byte)value;
        return bytes;
    }

    private static byte[] Set(byte[] valid, int position, byte value)
    {
        var bytes = (byte[])valid.Clone();
        bytes[position] = value;
        return bytes;
    }

    private static byte[] SetHeaderLength(byte[] valid, int length)
    {
        var bytes = (byte[])valid.Clone();
        if (bytes[6] == 1)
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)length);
        else
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), (uint)length);
        return bytes;
    }

    private static byte[] SetField(byte[] valid, TiffFieldLocator.Field field, long value)
    {
        var bytes = (byte[])valid.Clone();
        var span = bytes.AsSpan(field.Offset, field.Size);
        switch (field.Size, field.BigEndian)
        {
            case (2, true): BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)value); break;
            case (2, false): BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)value); break;
            case (4, true): BinaryPrimitives.WriteUInt32BigEndian(span, (uint)value); break;
            case (4, false): BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)value); break;
            case (_, true): BinaryPrimitives.WriteUInt64BigEndian(span, (ulong)value); break;
            default: BinaryPrimitives.WriteUInt64LittleEndian(span, (ulong)value); break;
        }
        return bytes;
    }
}

/// <summary>Finds the count and value/offset fields of every IFD entry (and entry counts, next-IFD offsets) in a valid TIFF.</summary>
internal static class TiffFieldLocator
{
    public readonly record struct Field(int Offset, int Size, bool BigEndian);

    public static List<Field> Find(byte[] file)
    {
        bool be = file[0] == 'M';
        bool big = (be ? file[3] : file[2]) == 43;
        int word = big ? 8 : 4;
        long Read(int at, int size) => size switch
        {
            2 => be ? BinaryPrimitives.ReadUInt16BigEndian(file.AsSpan(at)) : BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(at)),
            4 => be ? BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(at)) : BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at)),
            _ => (long)(be ? BinaryPrimitives.ReadUInt64BigEndian(file.AsSpan(at)) : BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(at))),
        };

        var fields = new List<Field> { new(big ? 8 : 4, word, be) };
        var seen = new HashSet<long>();
        long ifd = Read(big ? 8 : 4, word);
        while (ifd != 0 && seen.Add(ifd))
        {
            int countSize = big ? 8 : 2;
            long count = Read((int)ifd, countSize);
            fields.Add(new((int)ifd, countSize, be));
            int entrySize = big ? 20 : 12;
            for (int i = 0; i < count; i++)
            {
                int entry = (int)ifd + countSize + i * entrySize;
                fields.Add(new(entry + 4, word, be));         // value count
                fields.Add(new(entry + 4 + word, word, be));  // value or offset
            }
            int next = (int)ifd + countSize + (int)count * entrySize;
            fields.Add(new(next, word, be));
            ifd = Read(next, word);
        }
        return fields;
    }
}
