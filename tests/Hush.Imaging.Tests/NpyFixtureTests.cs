namespace Hush.Imaging.Tests;

/// <summary>Every NPY row of the shared format manifest: valid files decode exactly, the rest are rejected.</summary>
public class NpyFixtureTests
{
    public static TheoryData<string> Valid() => FormatFixtures.Names(tiff: false, valid: true);

    public static TheoryData<string> Malformed() => FormatFixtures.Names(tiff: false, valid: false);

    [Theory]
    [MemberData(nameof(Valid))]
    public void Valid_file_decodes_to_its_expected_array(string file)
    {
        var fixture = FormatFixtures.Get(file);
        var stack = NpyDecoder.Decode(File.ReadAllBytes(fixture.FullPath));
        ExpectedArray.Load(fixture.ExpectedPath).AssertMatches(stack, fixture.DType);
        Assert.Equal(fixture.Axes, stack.Axes);
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_file_is_rejected_with_a_one_line_reason(string file)
    {
        var fixture = FormatFixtures.Get(file);
        var e = FixtureAssert.RejectsWithin(() => ImageFile.ReadStack(fixture.FullPath), TimeSpan.FromSeconds(5));
        Assert.Equal(fixture.FullPath, e.Path);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("bad_dtype_complex64.npy", "unsupported NPY dtype '<c8' (complex numbers are not images)")]
    [InlineData("bad_dtype_object.npy", "unsupported NPY dtype '|O' (Python objects; never unpickled)")]
    [InlineData("bad_dtype_structured.npy", "structured")]
    [InlineData("bad_empty_0x37.npy", "is empty")]
    [InlineData("bad_header_len_past_eof.npy", "header length 60000 runs past the end")]
    [InlineData("bad_header_missing_shape.npy", "no 'shape' key")]
    [InlineData("bad_header_syntax.npy", "not closed")]
    [InlineData("bad_magic.npy", "magic string")]
    [InlineData("bad_shape_huge.npy", "exceeds the limit")]
    [InlineData("bad_shape_negative.npy", "negative dimension -23")]
    [InlineData("bad_truncated_data.npy", "truncated")]
    [InlineData("bad_version_9_0.npy", "unsupported NPY version 9.0")]
    public void Rejection_names_the_problem(string file, string reason)
    {
        var e = Assert.Throws<ImageFormatException>(() => ImageFile.ReadStack(TestData.Data("formats", "npy", file)));
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void Explicit_axes_override_the_shape_rule()
    {
        string path = TestData.Data("formats", "npy", "stack_u16_zyx.npy");
        Assert.Equal("ZYX", ImageFile.ReadStack(path).Axes);
        Assert.Equal("TYX", ImageFile.ReadStack(path, axes: "tyx").Axes);
        var e = Assert.Throws<ImageFormatException>(() => ImageFile.ReadStack(path, axes: "YX"));
        Assert.Contains("do not fit", e.Message);
    }

    [Fact]
    public void Fortran_order_rgb_reads_as_an_rgb_image()
    {
        var image = ImageFile.Read(TestData.Data("formats", "npy", "rgb_f32_yxc_fortran.npy"));
        var stack = ImageFile.ReadStack(TestData.Data("formats", "npy", "rgb_f32_yxc_fortran.npy"));
        Assert.Equal((37, 23, 3, false), (image.Width, image.Height, image.Channels, image.HasAlpha));
        // Floats are kept as they are: planar red of pixel (y=2, x=5) equals interleaved sample (2, 5, 0).
        Assert.Equal(stack.Data[(2 * 37 + 5) * 3], image.Data[2 * 37 + 5]);
        Assert.Equal(stack.Data[(2 * 37 + 5) * 3 + 2], image.Data[2 * 23 * 37 + 2 * 37 + 5]);
    }
}
