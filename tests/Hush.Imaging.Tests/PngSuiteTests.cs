namespace Hush.Imaging.Tests;

/// <summary>Conformance against PngSuite: valid files match the expected pixels, x* files are rejected.</summary>
public class PngSuiteTests
{
    public static TheoryData<string> ValidFiles() => Files(valid: true);

    public static TheoryData<string> InvalidFiles() => Files(valid: false);

    private static TheoryData<string> Files(bool valid)
    {
        var data = new TheoryData<string>();
        foreach (string file in Directory.GetFiles(Path.Combine(TestData.PngSuiteDir, "png"), "*.png").Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(file);
            if (name.StartsWith('x') != valid)
                data.Add(name);
        }
        return data;
    }

    [Fact]
    public void Suite_is_present()
    {
        Assert.True(ValidFiles().Count >= 150);
        Assert.Equal(14, InvalidFiles().Count);
    }

    // The suite's json holds 8-bit values for files of depth <= 8 and full 16-bit values for 16-bit files
    // (the extra *_to8.json variants use an inconsistent 16->8 conversion, so the exact 16-bit ones are used).
    [Theory]
    [MemberData(nameof(ValidFiles))]
    public void Valid_file_matches_expected_pixels(string name)
    {
        var image = PngDecoder.Decode(File.ReadAllBytes(TestData.PngSuite(name)));
        int[] expected = TestData.ReadJsonPixels(Path.Combine(TestData.PngSuiteDir, "json", Path.ChangeExtension(name, ".json")));

        int maxValue = image.BitDepth == 16 ? 65535 : 255;
        int[] actual = TestData.ToRgba(image, maxValue);

        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (expected[i] != actual[i])
                Assert.Fail($"{name}: pixel {i / 4} channel {i % 4} is {actual[i]}, expected {expected[i]}");
        }
    }

    [Theory]
    [MemberData(nameof(ValidFiles))]
    public void Valid_file_has_consistent_shape(string name)
    {
        var image = PngDecoder.Decode(File.ReadAllBytes(TestData.PngSuite(name)));
        int colorType = int.Parse(name.AsSpan(4, 1));
        int depth = int.Parse(name.AsSpan(6, 2));

        Assert.Equal(colorType is 0 or 4 ? 1 : 3, image.Channels);
        Assert.Equal(colorType == 3 ? 8 : depth, image.BitDepth);
        if (colorType is 4 or 6)
            Assert.True(image.HasAlpha);
        Assert.All(image.Data, v => Assert.InRange(v, 0f, 1f));
    }

    public static TheoryData<string, string> InvalidWithReason() => new()
    {
        { "xs1n0g01.png", "signature" },
        { "xs2n0g01.png", "signature" },
        { "xs4n0g01.png", "signature" },
        { "xs7n0g01.png", "signature" },
        { "xcrn0g04.png", "signature" },
        { "xlfn0g04.png", "signature" },
        { "xhdn0g08.png", "IHDR has a bad CRC" },
        { "xcsn0g01.png", "IDAT has a bad CRC" },
        { "xc1n0g08.png", "colour type 1" },
        { "xc9n2c08.png", "colour type 9" },
        { "xd0n2c08.png", "bit depth 0" },
        { "xd3n2c08.png", "bit depth 3" },
        { "xd9n2c08.png", "bit depth 99" },
        { "xdtn0g01.png", "IDAT" },
    };

    [Theory]
    [MemberData(nameof(InvalidWithReason))]
    public void Invalid_file_is_rejected_with_specific_message(string name, string reason)
    {
        var bytes = File.ReadAllBytes(TestData.PngSuite(name));
        var e = Assert.Throws<ImageFormatException>(() => PngDecoder.Decode(bytes));
        Assert.Contains(reason, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [MemberData(nameof(InvalidFiles))]
    public void Invalid_file_is_rejected_by_ImageFile_naming_the_path(string name)
    {
        string path = TestData.PngSuite(name);
        var e = Assert.Throws<ImageFormatException>(() => ImageFile.Read(path));
        Assert.Equal(path, e.Path);
        Assert.StartsWith(path + ": ", e.Message);
    }

    [Fact]
    public void Interlaced_and_plain_files_decode_identically()
    {
        foreach (string plain in new[] { "basn0g01", "basn0g16", "basn2c08", "basn3p04", "basn4a16", "basn6a08" })
        {
            var a = PngDecoder.Decode(File.ReadAllBytes(TestData.PngSuite(plain + ".png")));
            var b = PngDecoder.Decode(File.ReadAllBytes(TestData.PngSuite(plain.Replace("basn", "basi") + ".png")));
            Assert.Equal(a.Data, b.Data);
            Assert.Equal(a.Alpha, b.Alpha);
        }
    }

    [Fact]
    public void Palette_transparency_goes_to_alpha_and_opaque_files_have_none()
    {
        Assert.True(PngDecoder.Decode(File.ReadAllBytes(TestData.PngSuite("tbbn3p08.png"))).HasAlpha);
        Assert.True(PngDecoder.Decode(File.ReadAllBytes(TestData.PngSuite("tbrn2c08.png"))).HasAlpha);
        Assert.False(PngDecoder.Decode(File.ReadAllBytes(TestData.PngSuite("basn3p08.png"))).HasAlpha);
        Assert.False(PngDecoder.Decode(File.ReadAllBytes(TestData.PngSuite("basn2c16.png"))).HasAlpha);
    }
}
