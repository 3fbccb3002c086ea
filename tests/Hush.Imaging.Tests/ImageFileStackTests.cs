namespace Hush.Imaging.Tests;

/// <summary>ImageFile with TIFF and NPY: stacks, single images, atomic writes.</summary>
public sealed class ImageFileStackTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("hush-stacks-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Theory]
    [InlineData("s.tif")]
    [InlineData("s.TIFF")]
    [InlineData("s.npy")]
    public void WriteStack_then_ReadStack_round_trips(string name)
    {
        var stack = Stacks.Random("ZYX", [3, 5, 6], SampleType.Float32, seed: 1);
        string path = Path.Combine(dir, name);
        ImageFile.WriteStack(stack, path, new TiffEncoderOptions { Compression = TiffCompression.Deflate });
        Stacks.AssertSame(stack, ImageFile.ReadStack(path));
        Assert.Single(Directory.GetFiles(dir));
    }

    [Theory]
    [InlineData("a.tif", 8)]
    [InlineData("a.tiff", 16)]
    [InlineData("a.npy", 16)]
    public void Write_then_Read_an_image_round_trips(string name, int bitDepth)
    {
        var image = TestData.RandomImage(7, 3, 3, alpha: true, bitDepth, seed: bitDepth);
        string path = Path.Combine(dir, name);
        ImageFile.Write(image, path);
        var read = ImageFile.Read(path);
        Assert.Equal((3, true, bitDepth), (read.Channels, read.HasAlpha, read.BitDepth));
        Assert.Equal(image.Data, read.Data);
        Assert.Equal(image.Alpha, read.Alpha);
    }

    [Fact]
    public void Read_of_a_multi_plane_file_points_to_ReadStack()
    {
        string path = TestData.Data("formats", "tiff", "imagej_u16_zcyx_hyperstack.tif");
        var e = Assert.Throws<ImageFormatException>(() => ImageFile.Read(path));
        Assert.Equal($"{path}: file is a stack of 3 planes (ZCYX (3, 2, 23, 37) uint16); use ImageFile.ReadStack", e.Message);
    }

    [Fact]
    public void Read_of_an_rgb_tiff_gives_an_rgb_image()
    {
        string path = TestData.Data("formats", "tiff", "rgba_u8_packbits_separate.tif");
        var stack = ImageFile.ReadStack(path);
        var image = ImageFile.Read(path);
        Assert.Equal((37, 23, 3, true, 8), (image.Width, image.Height, image.Channels, image.HasAlpha, image.BitDepth));
        Assert.Equal(stack.Data[2 * 23 * 37 + 40] / 255f, image.Data[2 * 23 * 37 + 40]);
        Assert.Equal(stack.Data[3 * 23 * 37 + 40] / 255f, image.Alpha![40]);
    }

    [Fact]
    public void ReadStack_of_a_png_is_one_plane()
    {
        var stack = ImageFile.ReadStack(TestData.PngSuite("basn2c16.png"));
        Assert.Equal(("YXS", SampleType.UInt16, "PNG"), (stack.Axes, stack.SampleType, stack.Metadata.Format));
        Assert.Equal([32, 32, 3], stack.Shape);
    }

    [Fact]
    public void A_stack_cannot_be_written_as_png()
    {
        string path = Path.Combine(dir, "z.png");
        var e = Assert.Throws<ImageFormatException>(() => ImageFile.WriteStack(Stacks.Random("ZYX", [2, 3, 3], SampleType.UInt8, 1), path));
        Assert.Contains("stack of 2 planes", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(dir));
    }

    [Fact]
    public void Single_plane_stack_can_be_written_as_png()
    {
        string path = Path.Combine(dir, "one.png");
        var stack = Stacks.Random("YXS", [3, 4, 3], SampleType.UInt16, 2);
        ImageFile.WriteStack(stack, path);
        Stacks.AssertSame(stack, ImageFile.ReadStack(path));
    }

    [Fact]
    public void Failed_stack_write_leaves_the_existing_file_and_no_temp()
    {
        string path = Path.Combine(dir, "keep.tif");
        ImageFile.WriteStack(Stacks.Random("YX", [2, 2], SampleType.UInt8, 3), path);
        byte[] before = File.ReadAllBytes(path);

        // 65 samples per pixel do not fit a TIFF page, so the encoder fails after the temp file was created.
        Assert.Throws<ArgumentException>(() => ImageFile.WriteStack(Stacks.Random("YXS", [2, 2, 65], SampleType.UInt8, 4), path));

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(dir));
    }

    [Fact]
    public void Tiff_and_npy_extensions_are_supported()
    {
        Assert.True(ImageFile.IsSupportedExtension("a.tif"));
        Assert.True(ImageFile.IsSupportedExtension("a.TIFF"));
        Assert.True(ImageFile.IsSupportedExtension("a.npy"));
    }
}
