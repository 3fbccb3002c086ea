using static Hush.Cli.Tests.CliHarness;

namespace Hush.Cli.Tests;

/// <summary>An output that cannot be created fails before any training, in one line naming the user's path.</summary>
public class OutputProbeTests
{
    [Fact]
    public void AReadOnlyFolderFailsBeforeTrainingNamingTheOutputNotATempFile()
    {
        using var dir = new TempFolder();
        string input = TestImages.Png(dir.File("in.png"));
        string folder = ReadOnlyFolder(dir), output = Path.Combine(folder, "out.png");
        try
        {
            var r = Run("denoise", input, "-o", output, "-m", "zs-n2n", "-n", "2000", "--seed", "1", "--threads", "1");
            Assert.Equal(1, r.ExitCode);
            Assert.StartsWith($"hush: {output}: cannot write: ", r.Error);
            Assert.Single(r.Error.TrimEnd().Split('\n'));
            Assert.DoesNotContain(".tmp", r.Error);
            Assert.Empty(r.Progress); // refused before the first training step

            // A batch into the folder fails before its first file too.
            var batch = Run("denoise", input, input, "-o", Path.Combine(folder, "batch"), "-m", "zs-n2n", "-n", "2000", "--threads", "1");
            Assert.Equal(1, batch.ExitCode);
            Assert.StartsWith("hush: ", batch.Error);
            Assert.DoesNotContain(".tmp", batch.Error);
            Assert.Empty(batch.Progress);
        }
        finally
        {
            MakeWritable(folder, dir);
        }
    }

    [Fact]
    public void TheErrorReasonDropsThePathTheSystemQuotes()
    {
        var readOnly = new IOException("Read-only file system : '/ro/.out.png.0123456789abcdef0123456789abcdef.tmp'");
        Assert.Equal("Read-only file system", OutputPaths.Reason(readOnly, "/ro/.out.png.0123456789abcdef0123456789abcdef.tmp", "/ro/out.png"));
        Assert.Equal("permission denied", OutputPaths.Reason(new UnauthorizedAccessException("Access to the path '/x/.a.tmp' is denied."), "/x/.a.tmp", "/x/a.png"));
    }

    [Fact]
    public void AProbeLeavesNothingBehind()
    {
        using var dir = new TempFolder();
        OutputPaths.Check(dir.File("new/out.png"), overwrite: false);
        Assert.Empty(Directory.GetFileSystemEntries(dir.File("new")));
        Assert.False(File.Exists(dir.File("new/out.png")));
    }

    /// <summary>A folder no file can be created in: a temporary one made read-only, or, where that does not stop this
    /// process (root ignores permissions), a system folder that refuses new files to everyone (/sys, /proc).</summary>
    internal static string ReadOnlyFolder(TempFolder dir)
    {
        string folder = Directory.CreateDirectory(dir.File("ro")).FullName;
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        else new DirectoryInfo(folder).Attributes |= FileAttributes.ReadOnly;
        if (!CanCreateIn(folder)) return folder;
        foreach (string candidate in new[] { "/sys", "/proc" })
            if (Directory.Exists(candidate) && !CanCreateIn(candidate)) return candidate;
        Assert.Fail("found no folder this process cannot write to (a read-only temporary folder, /sys or /proc)");
        return folder;
    }

    private static bool CanCreateIn(string folder)
    {
        string probe = Path.Combine(folder, $"probe-{Guid.NewGuid():N}");
        try
        {
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    internal static void MakeWritable(string folder, TempFolder dir)
    {
        if (!folder.StartsWith(dir.Path, StringComparison.Ordinal)) return; // a system folder was only read
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        else new DirectoryInfo(folder).Attributes &= ~FileAttributes.ReadOnly;
    }
}
