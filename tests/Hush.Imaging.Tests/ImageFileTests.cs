namespace Hush.Imaging.Tests;

public sealed class ImageFileTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("hush-imaging-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Theory]
    [InlineData("a.png", 8)]
    [InlineData("a.PNG", 16)]
    [InlineData("a.pgm", 8)]
    [InlineData("a.pnm", 16)]
    public void Write_then_read_round_trips(string name, int bitDepth)
    {
        var image = TestData.RandomImage(7, 3, 1, alpha: false, bitDepth, seed: bitDepth);
        string path = Path.Combine(dir, name);

        ImageFile.Write(image, path);

        var read = ImageFile.Read(path);
        Assert.Equal(bitDepth, read.BitDepth); // default output depth follows the image
        Assert.Equal(image.Data, read.Data);
        Assert.Single(Directory.GetFiles(dir));
    }

    [Fact]
    public void Rgb_image_goes_to_ppm_and_explicit_depth_wins()
    {
        var image = TestData.RandomImage(4, 4, 3, alpha: false, 8, seed: 1);
        string path = Path.Combine(dir, "c.ppm");
        ImageFile.Write(image, path, bitDepth: 16);

        var read = ImageFile.Read(path);
        Assert.Equal((3, 16), (read.Channels, read.BitDepth));
        Assert.Equal(image.Data, read.Data);
    }

    [Fact]
    public void Format_is_detected_from_content_not_extension()
    {
        var image = TestData.RandomImage(4, 4, 3, alpha: true, 8, seed: 2);
        string png = Path.Combine(dir, "really-a-png.png");
        ImageFile.Write(image, png);
        string misnamed = Path.Combine(dir, "really-a-png.ppm");
        File.Move(png, misnamed);

        var read = ImageFile.Read(misnamed);
        Assert.True(read.HasAlpha);
        Assert.Equal(image.Data, read.Data);
    }

    [Fact]
    public void Writing_into_a_missing_directory_throws_and_leaves_nothing()
    {
        string missing = Path.Combine(dir, "no-such-dir");
        Assert.ThrowsAny<IOException>(() => ImageFile.Write(new Image(2, 2, 1), Path.Combine(missing, "x.png")));
        Assert.False(Directory.Exists(missing));
        Assert.Empty(Directory.GetFileSystemEntries(dir));
    }

    [Fact]
    public void Failed_write_leaves_existing_file_untouched_and_no_temp()
    {
        string path = Path.Combine(dir, "keep.png");
        ImageFile.Write(new Image(2, 2, 1, [0f, 0.25f, 0.5f, 1f]), path);
        byte[] before = File.ReadAllBytes(path);

        // Two colour channels cannot be stored, so the encoder fails midway through the write.
        Assert.Throws<ArgumentException>(() => ImageFile.Write(new Image(2, 2, 2), path));

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(dir));
    }

    [Fact]
    public void Successful_write_replaces_existing_file()
    {
        string path = Path.Combine(dir, "replace.pgm");
        ImageFile.Write(new Image(2, 1, 1, [0f, 0f]), path);
        ImageFile.Write(new Image(2, 1, 1, [1f, 1f]), path);
        Assert.Equal([1f, 1f], ImageFile.Read(path).Data);
    }

    [Theory]
    [InlineData("out.tga")]
    [InlineData("out")]
    [InlineData("out.gif")]
    public void Unknown_extension_is_rejected(string name)
    {
        string path = Path.Combine(dir, name);
        var e = Assert.Throws<ImageFormatException>(() => ImageFile.Write(new Image(1, 1, 1), path));
        Assert.Equal(path, e.Path);
        Assert.False(ImageFile.IsWritableExtension(path));
        Assert.Empty(Directory.GetFileSystemEntries(dir));
    }

    [Theory]
    [InlineData("a.png", true)]
    [InlineData("dir.x/B.PGM", true)]
    [InlineData("a.ppm", true)]
    [InlineData("a.pnm", true)]
    [InlineData("a.bmp", true)]
    [InlineData("a.JPG", true)]
    [InlineData("a.gif", true)]
    [InlineData("a.tga", false)]
    [InlineData("png", false)]
    public void Supported_extensions(string path, bool expected) => Assert.Equal(expected, ImageFile.IsSupportedExtension(path));

    [Fact]
    public void Reading_a_missing_file_names_the_path()
    {
        string path = Path.Combine(dir, "missing.png");
        var e = Assert.Throws<ImageFormatException>(() => ImageFile.Read(path));
        Assert.Equal(path, e.Path);
        Assert.Equal($"{path}: file not found", e.Message);
    }

    [Theory]
    [InlineData(new byte[0], "empty")]
    [InlineData(new byte[] { 0x47, 0x49, 0x46, 0x38, 0x39, 0x61 }, "GIF data cannot be decoded")]
    [InlineData(new byte[] { 0x00, 0x00, 0x01, 0x00, 0x01, 0x00 }, "unsupported image format")]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, "truncated")]
    [InlineData(new byte[] { (byte)'P', (byte)'4', (byte)' ' }, "P4 is not supported")]
    public void Unsupported_or_truncated_content_is_rejected_with_path(byte[] content, string reason)
    {
        string path = Path.Combine(dir, "bad.png");
        File.WriteAllBytes(path, content);
        var e = Assert.Throws<ImageFormatException>(() => ImageFile.Read(path));
        Assert.StartsWith(path + ": ", e.Message);
        Assert.Contains(reason, e.Message);
    }
}
