namespace Hush.Testing;

/// <summary>Finds <c>../shared</c> (the data sets beside the checkout) from wherever the test runs:
/// walks up from the test binary until a folder holds <c>shared/data</c>.</summary>
internal static class SharedData
{
    private static readonly Lazy<string> RootPath = new(Locate);

    public static string Root => RootPath.Value;

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared");
            if (Directory.Exists(Path.Combine(candidate, "data"))) return candidate;
        }
        throw new DirectoryNotFoundException(
            $"no shared/data folder above {AppContext.BaseDirectory}; the tests need ../shared beside the checkout");
    }

    /// <summary>The checkout's root, the folder holding Hush.slnx (for tests that read the repository's own files).</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Hush.slnx"))) return dir.FullName;
        throw new DirectoryNotFoundException($"no Hush.slnx above {AppContext.BaseDirectory}");
    }
}
