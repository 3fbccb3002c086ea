using System.Buffers.Binary;
using static Hush.Imaging.Tests.Photo.PhotoImages;

namespace Hush.Imaging.Tests;

/// <summary><see cref="ImageFile.Identify"/> says what <see cref="ImageFile.ReadStack"/> would give, without decoding.</summary>
public class IdentifyTests
{
    public static TheoryData<string> Files() => new() { "a.tif", "a.npy", "a.png", "a.pgm", "a.ppm", "a.jpg", "a.bmp" };

    [Theory]
    [MemberData(nameof(Files))]
    public void Identify_agrees_with_reading_the_stack(string name)
    {
        using var dir = new TempFolder();
        string path = dir.File(name);
        var image = EightBit(11, 7, name.EndsWith(".pgm") ? 1 : 3, name.EndsWith(".png") ? new float[77] : null);
        if (name.EndsWith(".tif") || name.EndsWith(".npy"))
            ImageFile.WriteStack(new ImageStack("ZYX", [3, 7, 11], SampleType.UInt16, new float[231]), path);
        else
            ImageFile.Write(image, path);

        var info = ImageFile.Identify(path);
        var stack = ImageFile.ReadStack(path);

        Assert.Equal((stack.Axes, stack.SampleType, stack.Metadata.Format, stack.Metadata.AxesSource),
            (info.Axes, info.SampleType, info.Metadata.Format, info.Metadata.AxesSource));
        Assert.Equal(stack.Shape, info.Shape);
        Assert.Equal(stack.Length, info.SampleCount);
    }

    [Fact]
    public void A_tiff_larger_than_any_decode_is_described_from_its_directory_alone()
    {
        // A 3 GiB file (sparse: the filesystem stores only the first bytes) whose one strip lies at its end.
        // Reading it whole is impossible (over 2 GB); describing it touches the header and the IFD only.
        using var dir = new TempFolder();
        string path = dir.File("huge.tif");
        const long size = 3L << 30;
        const int width = 1024, height = 1024;
        var start = new byte[8 + 2 + 12 * 8 + 4];
        "II*\0"u8.CopyTo(start);
        BinaryPrimitives.WriteUInt32LittleEndian(start.AsSpan(4), 8);
        BinaryPrimitives.WriteUInt16LittleEndian(start.AsSpan(8), 8);
        (ushort Tag, ushort Type, uint Value)[] entries =
        [
            (256, 4, width), (257, 4, height), (258, 3, 8), (259, 3, 1), (262, 3, 1),
            (273, 4, (uint)(size - width * height)), (278, 4, height), (279, 4, width * height),
        ];
        for (int i = 0; i < entries.Length; i++)
        {
            var entry = start.AsSpan(10 + 12 * i, 12);
            BinaryPrimitives.WriteUInt16LittleEndian(entry, entries[i].Tag);
            BinaryPrimitives.WriteUInt16LittleEndian(entry[2..], entries[i].Type);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[4..], 1);
            if (entries[i].Type == 3) BinaryPrimitives.WriteUInt16LittleEndian(entry[8..], (ushort)entries[i].Value);
            else BinaryPrimitives.WriteUInt32LittleEndian(entry[8..], entries[i].Value);
        }
        using (var file = new FileStream(path, FileMode.CreateNew))
        {
            file.Write(start);
            file.SetLength(size);
        }

        ImageStackInfo? info = null;
        var (error, allocated) = FixtureAssert.RunWithin(() => info = ImageFile.Identify(path), TimeSpan.FromSeconds(10));

        Assert.Null(error);
        Assert.Equal(("YX", SampleType.UInt8, "TIFF"), (info!.Axes, info.SampleType, info.Metadata.Format));
        Assert.Equal([height, width], info.Shape);
        Assert.True(allocated < 1 << 20, $"allocated {allocated} bytes");
        var e = Assert.Throws<ImageFormatException>(() => ImageFile.ReadStack(path));
        Assert.StartsWith($"{path}: could not read the file", e.Message);
    }

    [Fact]
    public void Identify_names_the_file_in_its_errors()
    {
        using var dir = new TempFolder();
        string path = dir.File("bad.tif");
        File.WriteAllBytes(path, [(byte)'I', (byte)'I', 42, 0, 200, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        var e = Assert.Throws<ImageFormatException>(() => ImageFile.Identify(path));
        Assert.StartsWith($"{path}: TIFF", e.Message);
        Assert.Equal($"{dir.File("missing.png")}: file not found", Assert.Throws<ImageFormatException>(() => ImageFile.Identify(dir.File("missing.png"))).Message);
    }

    [Theory]
    [InlineData("big.png")]
    [InlineData("big.npy")]
    public void A_large_png_or_npy_is_described_through_a_map_without_reading_it_into_memory(string name)
    {
        // 1000×1200 RGB of noise: several megabytes that do not compress, above the size where Identify maps the file.
        using var dir = new TempFolder();
        string path = dir.File(name);
        var rng = new Random(3);
        var data = new float[3 * 1000 * 1200];
        for (int i = 0; i < data.Length; i++) data[i] = rng.Next(256); // a uint8 stack holds the samples as they are
        var stack = new ImageStack("YXS", [1000, 1200, 3], SampleType.UInt8, data);
        ImageFile.WriteStack(stack, path);
        Assert.True(new FileInfo(path).Length > 2 << 20, $"{new FileInfo(path).Length} bytes");

        ImageFile.Identify(path); // warm-up: the first call loads code
        long before = GC.GetAllocatedBytesForCurrentThread();
        var info = ImageFile.Identify(path);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal([1000, 1200, 3], info.Shape);
        Assert.Equal(SampleType.UInt8, info.SampleType);
        Assert.True(allocated < 256 << 10, $"{allocated} bytes allocated to describe a {new FileInfo(path).Length}-byte file");
    }

    [Fact]
    public void A_large_truncated_png_still_fails_with_its_name()
    {
        using var dir = new TempFolder();
        string path = dir.File("cut.png");
        var rng = new Random(4);
        var data = new float[3 * 800 * 800];
        for (int i = 0; i < data.Length; i++) data[i] = rng.Next(256) / 255f;
        ImageFile.Write(new Image(800, 800, 3, data), path);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 100)]);
        var e = Assert.Throws<ImageFormatException>(() => ImageFile.Identify(path));
        Assert.Equal(path, e.Path);
    }
}
