namespace Hush.Imaging.Tests;

/// <summary>One row of <c>shared/data/formats/MANIFEST.tsv</c>: a TIFF or NPY fixture and what it must decode to.</summary>
public sealed record FormatFixture(string File, string Format, bool Valid, string Shape, string DType, string Axes, string Expected, string Notes)
{
    public string FullPath => TestData.Data("formats", File);

    /// <summary>Path of NAME.expected.npy for valid rows.</summary>
    public string ExpectedPath => TestData.Data("formats", Expected["array ".Length..]);

    public bool IsTiff => File.StartsWith("tiff/", StringComparison.Ordinal);

    public override string ToString() => File;
}

/// <summary>Reads the manifest once; xunit theories take the file name and look the row up here.</summary>
internal static class FormatFixtures
{
    private static readonly Lazy<IReadOnlyList<FormatFixture>> Rows = new(Load);

    public static IReadOnlyList<FormatFixture> All => Rows.Value;

    public static FormatFixture Get(string file) => All.Single(f => f.File == file);

    public static TheoryData<string> Names(bool tiff, bool valid)
    {
        var data = new TheoryData<string>();
        foreach (var row in All.Where(f => f.IsTiff == tiff && f.Valid == valid))
            data.Add(row.File);
        return data;
    }

    private static List<FormatFixture> Load()
    {
        var lines = System.IO.File.ReadAllLines(TestData.Data("formats", "MANIFEST.tsv"));
        var header = lines[0].Split('\t');
        int Column(string name) => Array.IndexOf(header, name);
        return [.. lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split('\t')).Select(c => new FormatFixture(
            c[Column("file")], c[Column("format")], c[Column("valid")] == "yes", c[Column("shape")], c[Column("dtype")],
            c[Column("axes")], c[Column("expected")], c[Column("notes")]))];
    }
}
