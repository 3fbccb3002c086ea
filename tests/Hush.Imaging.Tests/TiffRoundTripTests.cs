namespace Hush.Imaging.Tests;

/// <summary>Writing a stack as TIFF and reading it back gives the same samples, shape, type and axes.</summary>
public class TiffRoundTripTests
{
    public static TheoryData<SampleType, TiffCompression, bool> EveryTypeAndCompression()
    {
        var data = new TheoryData<SampleType, TiffCompression, bool>();
        foreach (var type in Stacks.AllTypes)
        {
            data.Add(type, TiffCompression.None, false);
            data.Add(type, TiffCompression.Deflate, false);
            data.Add(type, TiffCompression.Deflate, true);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryTypeAndCompression))]
    public void Every_sample_type_round_trips(SampleType type, TiffCompression compression, bool predictor)
    {
        // 37 columns: 1-bit rows end mid-byte; 300 rows: several strips, the last one short.
        var stack = Stacks.Random("YX", [300, 37], type, seed: (int)type);
        var read = RoundTrip(stack, new TiffEncoderOptions { Compression = compression, UsePredictor = predictor });
        Stacks.AssertSame(stack, read);
        string expected = compression == TiffCompression.None ? "NONE (1)"
            : !predictor || type == SampleType.Bool ? "ADOBE_DEFLATE (8)"
            : $"ADOBE_DEFLATE (8), predictor {(type.IsFloat() ? 3 : 2)}";
        Assert.Equal(expected, read.Metadata.Compression);
    }

    [Theory]
    [InlineData("YXS", new[] { 9, 7, 3 }, SampleType.UInt8)]
    [InlineData("YXS", new[] { 9, 7, 4 }, SampleType.UInt16)]
    [InlineData("YXS", new[] { 9, 7, 2 }, SampleType.UInt8)]
    [InlineData("YXS", new[] { 9, 7, 3 }, SampleType.Float32)]
    [InlineData("SYX", new[] { 3, 9, 7 }, SampleType.UInt16)]
    [InlineData("ZYX", new[] { 5, 9, 7 }, SampleType.UInt16)]
    [InlineData("ZCYX", new[] { 3, 2, 9, 7 }, SampleType.UInt16)]
    [InlineData("TZCYX", new[] { 2, 3, 2, 9, 7 }, SampleType.Float32)]
    [InlineData("TYX", new[] { 4, 9, 7 }, SampleType.UInt8)]
    [InlineData("CZYX", new[] { 2, 3, 9, 7 }, SampleType.UInt16)]
    [InlineData("ZYX", new[] { 3, 9, 7 }, SampleType.Int16)]
    [InlineData("ZYX", new[] { 1, 9, 7 }, SampleType.UInt8)]
    [InlineData("IYX", new[] { 3, 9, 7 }, SampleType.Float64)]
    [InlineData("QZYX", new[] { 2, 2, 9, 7 }, SampleType.UInt32)]
    [InlineData("ZYXS", new[] { 2, 9, 7, 3 }, SampleType.UInt8)]
    [InlineData("TZYX", new[] { 2, 3, 9, 7 }, SampleType.Bool)]
    public void Layouts_and_axes_round_trip(string axes, int[] shape, SampleType type)
    {
        var stack = Stacks.Random(axes, shape, type, seed: shape.Sum());
        foreach (var compression in new[] { TiffCompression.None, TiffCompression.Deflate })
            Stacks.AssertSame(stack, RoundTrip(stack, new TiffEncoderOptions { Compression = compression, UsePredictor = true }));
    }

    [Theory]
    [InlineData("ZCYX", new[] { 3, 2, 9, 7 }, "images=6\nchannels=2\nslices=3\nhyperstack=true\n")]
    [InlineData("TZCYX", new[] { 2, 3, 2, 9, 7 }, "images=12\nchannels=2\nslices=3\nframes=2\nhyperstack=true\n")]
    [InlineData("ZYX", new[] { 5, 9, 7 }, "images=5\nslices=5\nloop=false\n")]
    public void Hyperstacks_get_an_ImageJ_description(string axes, int[] shape, string expected)
    {
        var read = RoundTrip(Stacks.Random(axes, shape, SampleType.UInt16, seed: 1), TiffEncoderOptions.Default);
        Assert.Equal("ImageJ", read.Metadata.AxesSource);
        Assert.StartsWith("ImageJ=1.11a\n", read.Metadata.ImageDescription);
        Assert.Contains(expected, read.Metadata.ImageDescription);
    }

    [Fact]
    public void Axes_ImageJ_cannot_hold_use_a_tifffile_description()
    {
        var read = RoundTrip(Stacks.Random("CZYX", [2, 3, 4, 5], SampleType.UInt16, seed: 2), TiffEncoderOptions.Default);
        Assert.Equal("tifffile", read.Metadata.AxesSource);
        Assert.Equal("{\"shape\": [2, 3, 4, 5], \"axes\": \"CZYX\"}", read.Metadata.ImageDescription);
    }

    [Fact]
    public void Y_and_X_are_moved_last_when_they_are_not()
    {
        var stack = Stacks.Random("YXZ", [4, 5, 3], SampleType.UInt16, seed: 3);
        Stacks.AssertSame(stack.Transpose("ZYX"), RoundTrip(stack, TiffEncoderOptions.Default));
    }

    [Fact]
    public void BigTiff_round_trips_and_is_marked()
    {
        var stack = Stacks.Random("ZYX", [3, 20, 30], SampleType.Float32, seed: 4);
        var read = RoundTrip(stack, new TiffEncoderOptions { ForceBigTiff = true, Compression = TiffCompression.Deflate });
        Stacks.AssertSame(stack, read);
        Assert.Equal("BigTIFF", read.Metadata.Format);
    }

    [Fact]
    public void Min_is_white_is_kept_and_inverted_only_for_images()
    {
        var stack = new ImageStack("YX", [1, 2], SampleType.UInt8, [0f, 255f], null, new StackMetadata { Photometric = Photometric.MinIsWhite });
        var read = RoundTrip(stack, TiffEncoderOptions.Default);
        Assert.Equal(Photometric.MinIsWhite, read.Metadata.Photometric);
        Assert.Equal([0f, 255f], read.Data);
        Assert.Equal([1f, 0f], read.ToImage().Data);
    }

    [Fact]
    public void Deflate_with_predictor_compresses_a_smooth_image()
    {
        var data = new float[256 * 256];
        for (int i = 0; i < data.Length; i++)
            data[i] = i % 256 * 200 + i / 256 * 3;
        var stack = new ImageStack("YX", [256, 256], SampleType.UInt16, data);
        long Size(TiffEncoderOptions o)
        {
            using var stream = new MemoryStream();
            TiffEncoder.Encode(stack, stream, o);
            return stream.Length;
        }
        long plain = Size(TiffEncoderOptions.Default);
        long deflate = Size(new TiffEncoderOptions { Compression = TiffCompression.Deflate });
        long predicted = Size(new TiffEncoderOptions { Compression = TiffCompression.Deflate, UsePredictor = true });
        Assert.True(predicted < deflate && deflate < plain, $"sizes: none {plain}, deflate {deflate}, deflate+predictor {predicted}");
    }

    private static ImageStack RoundTrip(ImageStack stack, TiffEncoderOptions options)
    {
        using var stream = new MemoryStream();
        TiffEncoder.Encode(stack, stream, options);
        return TiffDecoder.Decode(stream.ToArray());
    }
}
