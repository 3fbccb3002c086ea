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
}
