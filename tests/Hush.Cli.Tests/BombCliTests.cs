using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json;
using static Hush.Cli.Tests.CliHarness;

namespace Hush.Cli.Tests;

/// <summary>A small file that would inflate to a huge image: info describes it from its header, convert and
/// denoise refuse it in one line before inflating it.</summary>
public class BombCliTests
{
    /// <summary>8192 x 8193 zero bytes in one Deflate strip: 64 MiB + 8 KiB decoded from about 65 KB.</summary>
    private static string TiffBomb(string path)
    {
        const int width = 8192, height = 8193;
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            var row = new byte[width];
            for (int r = 0; r < height; r++) zlib.Write(row);
        }
        (ushort Tag, ushort Type, uint Value)[] entries =
            [(256, 4, width), (257, 4, height), (258, 3, 8), (259, 3, 8), (262, 3, 1), (273, 4, 8 + 2 + 9 * 12 + 4), (277, 3, 1), (278, 4, height), (279, 4, (uint)compressed.Length)];
        using var file = new MemoryStream();
        file.Write("II*\0"u8);
        file.Write(BitConverter.GetBytes(8u));
        file.Write(BitConverter.GetBytes((ushort)entries.Length));
        foreach (var (tag, type, value) in entries)
        {
            var entry = new byte[12];
            BinaryPrimitives.WriteUInt16LittleEndian(entry, tag);
            BinaryPrimitives.WriteUInt16LittleEndian(entry.AsSpan(2), type);
            BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(4), 1);
            if (type == 3) BinaryPrimitives.WriteUInt16LittleEndian(entry.AsSpan(8), (ushort)value);
            else BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(8), value);
            file.Write(entry);
        }
        file.Write(new byte[4]);
        compressed.WriteTo(file);
        File.WriteAllBytes(path, file.ToArray());
        return path;
    }

    [Fact]
    public void InfoDescribesABombFromItsHeader()
    {
        using var dir = new TempFolder();
        string bomb = TiffBomb(dir.File("bomb.tif"));
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var r = Run("info", bomb, "--json");
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal(0, r.ExitCode);
        var j = JsonDocument.Parse(r.Out).RootElement;
        Assert.Equal((8192, 8193), (j.GetProperty("width").GetInt32(), j.GetProperty("height").GetInt32()));
        Assert.Equal(JsonValueKind.Null, j.GetProperty("max").ValueKind); // too large to decode without --noise
        Assert.True(allocated < 16 << 20, $"info allocated {allocated} bytes");
    }

    [Theory]
    [InlineData("convert")]
    [InlineData("denoise")]
    public void ConvertAndDenoiseRefuseABombInOneLine(string command)
    {
        using var dir = new TempFolder();
        string bomb = TiffBomb(dir.File("bomb.tif"));
        var r = command == "convert"
            ? Run("convert", bomb, "-o", dir.File("out.npy"))
            : Run("denoise", bomb, "-o", dir.File("out.tif"), "-m", "zs-n2n", "-n", "1");

        Assert.Equal(3, r.ExitCode);
        Assert.Matches($@"^hush: {System.Text.RegularExpressions.Regex.Escape(bomb)}: TIFF data would inflate \d+ bytes to 67117056 \(\d+:1, over the limit of 256:1\): refusing a likely decompression bomb\s*$", r.Error);
        Assert.Equal(["bomb.tif"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void DenoiseRefusesAnInputOverItsMemoryBudgetBeforeReadingIt()
    {
        using var dir = new TempFolder();
        string input = TestImages.Png(dir.File("a.png"), width: 64, height: 64);
        var r = Run("denoise", input, "-o", dir.File("out.png"), "-m", "zs-n2n", "-n", "1", "--memory-budget", "8K");
        Assert.Equal(3, r.ExitCode);
        Assert.Equal($"hush: {input}: PNG image 64x64x1 needs 16384 bytes decoded, over the limit of 8192", r.Error.Trim());
    }
}
