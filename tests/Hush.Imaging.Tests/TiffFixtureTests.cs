namespace Hush.Imaging.Tests;

/// <summary>Every TIFF row of the shared format manifest: valid files decode exactly, the rest are rejected.</summary>
public class TiffFixtureTests
{
    public static TheoryData<string> Valid() => FormatFixtures.Names(tiff: true, valid: true);

    public static TheoryData<string> Malformed() => FormatFixtures.Names(tiff: true, valid: false);

    [Theory]
    [MemberData(nameof(Valid))]
    public void Valid_file_decodes_to_its_expected_array_and_axes(string file)
    {
        var fixture = FormatFixtures.Get(file);
        var stack = TiffDecoder.Decode(File.ReadAllBytes(fixture.FullPath));
        ExpectedArray.Load(fixture.ExpectedPath).AssertMatches(stack, fixture.DType);
        Assert.Equal(fixture.Axes, stack.Axes);
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_file_is_rejected_quickly_without_big_allocations(string file)
    {
        var fixture = FormatFixtures.Get(file);
        var e = FixtureAssert.RejectsWithin(() => ImageFile.ReadStack(fixture.FullPath), TimeSpan.FromSeconds(5));
        Assert.Equal(fixture.FullPath, e.Path);
        Assert.StartsWith(fixture.FullPath + ": ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("bad_compression_jpeg7_garbage.tif", "unsupported TIFF compression JPEG (7)")]
    [InlineData("bad_compression_unknown_60000.tif", "unsupported TIFF compression 60000")]
    [InlineData("bad_ifd_loop_self.tif", "loops")]
    [InlineData("bad_ifd_loop_two_pages.tif", "loops")]
    [InlineData("bad_dimensions_100000x100000.tif", "exceeds the limit")]
    [InlineData("bad_strip_bytecount_past_eof.tif", "past the end")]
    [InlineData("bad_tag_count_huge.tif", "1073741824 values")]
    [InlineData("bad_strip_too_short_uncompressed.tif", "holds 851 bytes but needs 1702")]
    [InlineData("bad_byteorder_mark.tif", "byte-order mark is 'IM'")]
    [InlineData("bad_magic_number.tif", "version number is 21")]
    [InlineData("bad_missing_strip_offsets.tif", "StripOffsets (273) is missing")]
    [InlineData("bad_zero_width.tif", "invalid dimensions 0x23")]
    [InlineData("bad_truncated_deflate_stream.tif", "truncated")]
    public void Rejection_names_the_problem(string file, string reason)
    {
        var e = Assert.Throws<ImageFormatException>(() => ImageFile.ReadStack(TestData.Data("formats", "tiff", file)));
        Assert.Contains(reason, e.Message);
    }
}
