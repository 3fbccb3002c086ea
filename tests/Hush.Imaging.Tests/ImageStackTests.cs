namespace Hush.Imaging.Tests;

public class ImageStackTests
{
    [Fact]
    public void Transpose_moves_samples_to_the_new_c_order()
    {
        // (Y=2, X=3, S=2): value = 100*y + 10*x + s
        var data = new float[12];
        for (int y = 0; y < 2; y++)
            for (int x = 0; x < 3; x++)
                for (int s = 0; s < 2; s++)
                    data[(y * 3 + x) * 2 + s] = 100 * y + 10 * x + s;
        var stack = new ImageStack("YXS", [2, 3, 2], SampleType.UInt16, data);

        var planar = stack.Transpose("SYX");

        Assert.Equal([2, 2, 3], planar.Shape);
        Assert.Equal([0f, 10, 20, 100, 110, 120, 1, 11, 21, 101, 111, 121], planar.Data);
        Assert.Equal(stack.Data, planar.Transpose("YXS").Data);
    }

    [Fact]
    public void Transpose_keeps_exact_values_of_wide_types()
    {
        var stack = new ImageStack("YX", [1, 2], SampleType.UInt32, [0f, 0f], [4294967295d, 16777217d]);
        var moved = stack.Transpose("XY");
        Assert.Equal([4294967295d, 16777217d], moved.ExactData!);
    }

    [Theory]
    [InlineData(SampleType.UInt8, 51, 0.2f)]
    [InlineData(SampleType.UInt16, 65535, 1f)]
    [InlineData(SampleType.Int16, -32768, 0f)]
    [InlineData(SampleType.Int16, 32767, 1f)]
    [InlineData(SampleType.Bool, 1, 1f)]
    [InlineData(SampleType.Float32, 4095, 4095f)]
    [InlineData(SampleType.Float64, -0.5, -0.5f)]
    public void ToImage_scales_integers_by_their_range_and_keeps_floats(SampleType type, double value, float expected)
    {
        var stack = new ImageStack("YX", [1, 1], type, [(float)value]);
        var image = stack.ToImage();
        Assert.Equal(expected, image.Data[0], 6);
        Assert.Equal(type switch { SampleType.Bool => 1, SampleType.UInt8 => 8, _ => 16 }, image.BitDepth);
    }

    [Theory]
    [InlineData("YX", new[] { 2, 3 }, 1, false)]
    [InlineData("YXS", new[] { 2, 3, 2 }, 1, true)]
    [InlineData("YXS", new[] { 2, 3, 3 }, 3, false)]
    [InlineData("SYX", new[] { 4, 2, 3 }, 3, true)]
    [InlineData("YXC", new[] { 2, 3, 4 }, 3, true)]
    [InlineData("ZYX", new[] { 1, 2, 3 }, 1, false)]
    public void ToImage_maps_the_channel_axis(string axes, int[] shape, int channels, bool alpha)
    {
        var stack = Stacks.Random(axes, shape, SampleType.UInt8, seed: 5);
        var image = stack.ToImage();
        Assert.Equal((3, 2, channels, alpha), (image.Width, image.Height, image.Channels, image.HasAlpha));
        Assert.Equal(1, stack.PlaneCount);
    }

    [Fact]
    public void ToImage_refuses_a_stack_of_planes()
    {
        var stack = Stacks.Random("ZYX", [3, 2, 2], SampleType.UInt8, seed: 6);
        Assert.Equal(3, stack.PlaneCount);
        Assert.Throws<InvalidOperationException>(stack.ToImage);
    }

    [Theory]
    [InlineData(1, false, 8)]
    [InlineData(3, true, 16)]
    [InlineData(1, true, 8)]
    public void FromImage_then_ToImage_round_trips(int channels, bool alpha, int bitDepth)
    {
        var image = TestData.RandomImage(5, 4, channels, alpha, bitDepth, seed: 7);
        var stack = ImageStack.FromImage(image);
        Assert.Equal(bitDepth == 8 ? SampleType.UInt8 : SampleType.UInt16, stack.SampleType);
        Assert.Equal(channels == 1 && !alpha ? "YX" : "YXS", stack.Axes);
        var back = stack.ToImage();
        Assert.Equal(image.Data, back.Data);
        Assert.Equal(image.Alpha, back.Alpha);
        Assert.Equal(image.BitDepth, back.BitDepth);
    }

    [Theory]
    [InlineData("YX", new[] { 2 })]
    [InlineData("ZY", new[] { 2, 2 })]
    [InlineData("YXY", new[] { 2, 2, 2 })]
    [InlineData("yx", new[] { 2, 2 })]
    [InlineData("YX", new[] { 0, 2 })]
    public void Invalid_axes_or_shapes_are_refused(string axes, int[] shape) =>
        Assert.ThrowsAny<ArgumentException>(() => new ImageStack(axes, shape, SampleType.UInt8));
}
