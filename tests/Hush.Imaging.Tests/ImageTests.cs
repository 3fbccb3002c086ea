namespace Hush.Imaging.Tests;

public class ImageTests
{
    [Fact]
    public void New_image_is_zeroed_8_bit_without_alpha()
    {
        var image = new Image(3, 2, 3);
        Assert.Equal(18, image.Data.Length);
        Assert.Equal(8, image.BitDepth);
        Assert.False(image.HasAlpha);
    }

    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(1, 0, 1)]
    [InlineData(1, 1, 0)]
    [InlineData(1, 1, 5)]
    public void Invalid_shape_is_rejected(int w, int h, int c) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Image(w, h, c));

    [Fact]
    public void Wrong_lengths_and_bit_depths_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new Image(2, 2, 1, new float[3]));
        Assert.Throws<ArgumentException>(() => new Image(2, 2, 1, alpha: new float[5]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Image(2, 2, 1, bitDepth: 12));
        Assert.Throws<ArgumentException>(() => new Image(2, 2, 1).WithData(new float[8]));
    }

    [Fact]
    public void Plane_is_a_view_into_data()
    {
        var image = new Image(2, 1, 3);
        image.Plane(2)[1] = 0.5f;
        Assert.Equal(0.5f, image.Data[5]);
        Assert.Throws<ArgumentOutOfRangeException>(() => image.Plane(3));
    }

    [Fact]
    public void Crop_copies_colour_and_alpha()
    {
        var data = Enumerable.Range(0, 2 * 3 * 4).Select(i => i / 100f).ToArray();
        var alpha = Enumerable.Range(0, 12).Select(i => i / 12f).ToArray();
        var image = new Image(4, 3, 2, data, 16, alpha);

        var crop = image.Crop(1, 1, 2, 2);

        Assert.Equal((2, 2, 2, 16), (crop.Width, crop.Height, crop.Channels, crop.BitDepth));
        Assert.Equal([0.05f, 0.06f, 0.09f, 0.10f, 0.17f, 0.18f, 0.21f, 0.22f], crop.Data);
        Assert.Equal([5 / 12f, 6 / 12f, 9 / 12f, 10 / 12f], crop.Alpha!);
        Assert.Throws<ArgumentOutOfRangeException>(() => image.Crop(3, 0, 2, 1));
    }

    [Fact]
    public void Clone_and_WithData_keep_metadata()
    {
        var image = new Image(2, 1, 1, [0.1f, 0.2f], 16, [1f, 0f]);
        var clone = image.Clone();
        clone.Data[0] = 0.9f;
        Assert.Equal(0.1f, image.Data[0]);
        Assert.Equal(image.Alpha, clone.Alpha);
        Assert.NotSame(image.Alpha, clone.Alpha);

        var replaced = image.WithData([0.3f, 0.4f]);
        Assert.Equal((16, true), (replaced.BitDepth, replaced.HasAlpha));
    }

    [Fact]
    public void Exception_message_is_one_line_with_path_prefix()
    {
        var e = new ImageFormatException("line one\nline two", "photo.png");
        Assert.Equal("photo.png: line one line two", e.Message);
        Assert.Equal("photo.png", e.Path);
        Assert.Equal("no path", new ImageFormatException("no path").Message);
    }
}
