using System.Text.Json;
using Hush.Imaging;

namespace Hush.Cli.Batch;

/// <summary>How one batch went; with --json, printed as the last line.</summary>
internal sealed record BatchSummary(int Done, int Skipped, int Failed, int Files, string Shard, IReadOnlyList<BatchFailure> Failures);

internal sealed record BatchFailure(string Input, string Error);

/// <summary>
/// Runs one job per file of this shard into an output folder. Resumable: an output that exists is complete (outputs
/// are written to a temporary file and renamed), so it is skipped unless --overwrite; temporary files a killed run
/// left behind are deleted before their file is redone. One bad file is reported in one line and skipped; the
/// rest go on. Cancelling stops the batch (exit 1); finished outputs stay.
/// </summary>
internal sealed class BatchRunner(string outputFolder, Shard shard, bool overwrite, bool json, bool quiet, CancellationToken cancel)
{
    public int Run(IReadOnlyList<BatchItem> items, Func<BatchItem, string, object> process, TextWriter output, TextWriter error)
    {
        var mine = items.Where((_, i) => shard.Takes(i)).ToList();
        PrepareFolder(mine);
        int done = 0, skipped = 0;
        var failures = new List<BatchFailure>();
        foreach (var item in mine)
        {
            if (cancel.IsCancellationRequested)
                throw new CommandFailedException($"cancelled after {done} of {mine.Count} files; the finished outputs in {outputFolder} are kept");
            string outPath = Path.Combine(outputFolder, item.RelativeOutput);
            DeleteLeftoverTemps(outPath);
            if (File.Exists(outPath) && !overwrite)
            {
                skipped++;
                if (!json && !quiet) output.WriteLine($"skipped {outPath} (exists)");
                continue;
            }
            if (TryProcess(item, outPath, process, output, error) is string problem)
                failures.Add(new BatchFailure(item.Input, problem));
            else
                done++;
            ReleaseFileMemory();
        }

        var summary = new BatchSummary(done, skipped, failures.Count, mine.Count, shard.ToString(), failures);
        if (json)
            output.WriteLine(JsonSerializer.Serialize(summary, CliJson.Default.BatchSummary));
        else if (!quiet)
            output.WriteLine($"batch: {done} done, {skipped} skipped, {failures.Count} failed of {mine.Count} files"
                + (shard == Shard.All ? "" : $" (shard {shard} of a batch of {items.Count})"));
        return failures.Count > 0 ? ExitCodes.PartialFailure : ExitCodes.Success;
    }

    /// <summary>One file's images, activations and buffers are garbage once its output is written. Left alone, the GC lets a
    /// long batch of different sizes grow to several files' worth before it collects the large-object heap (30 images
    /// of up to 296×212: 418 MB against 137 MB for the largest alone); a compacting collection per file, whose cost is
    /// nothing next to training, keeps a batch near one file's memory.</summary>
    private static void ReleaseFileMemory()
    {
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    }

    /// <summary>Checks every output path before any work, so a batch never writes over one of its inputs.</summary>
    private void PrepareFolder(IReadOnlyList<BatchItem> items)
    {
        if (File.Exists(outputFolder))
            throw new UsageException($"{outputFolder}: is a file; with several inputs, a folder or a pattern, -o names a folder");
        foreach (var item in items)
            if (string.Equals(Path.GetFullPath(Path.Combine(outputFolder, item.RelativeOutput)), Path.GetFullPath(item.Input), StringComparison.Ordinal))
                throw new UsageException($"{item.Input}: refusing to write the output over the input (choose another -o folder)");
        try
        {
            Directory.CreateDirectory(outputFolder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException($"{outputFolder}: cannot create the output folder: {OutputPaths.Reason(e, outputFolder, outputFolder)}", e);
        }
        OutputPaths.Probe(Path.Combine(Path.GetFullPath(outputFolder), "batch"), outputFolder); // unwritable: fail before any training
    }

    /// <summary>Runs one file; returns null on success, else the one-line problem (already written to stderr).</summary>
    private string? TryProcess(BatchItem item, string outPath, Func<BatchItem, string, object> process, TextWriter output, TextWriter error)
    {
        string? problem;
        try
        {
            if (!ImageFile.IsWritableExtension(outPath))
                throw new InvalidInputException($"{item.Input}: cannot write this file type (outputs: {OutputPaths.WritableList})");
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outPath))!);
            var report = process(item, outPath);
            if (json)
                output.WriteLine(JsonSerializer.Serialize(report, report.GetType(), CliJson.Default));
            return null;
        }
        catch (Exception e) when (e is ImageFormatException or InvalidInputException or UsageException or CommandFailedException)
        {
            problem = e.Message;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = $"{outPath}: cannot write: {OutputPaths.Reason(e, outPath, outPath)}";
        }
        catch (OperationCanceledException e)
        {
            throw new CommandFailedException($"cancelled during {item.Input}; the finished outputs in {outputFolder} are kept", e);
        }
        catch (Exception e)
        {
            problem = $"{item.Input}: internal error ({e.GetType().Name}): {e.Message}";
        }
        error.WriteLine($"hush: {problem}");
        return problem;
    }

    /// <summary>Deletes ".NAME.*.tmp" beside <paramref name="outPath"/>: what an atomic write killed midway leaves.</summary>
    private static void DeleteLeftoverTemps(string outPath)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(outPath))!;
        if (!Directory.Exists(folder)) return;
        foreach (string temp in Directory.EnumerateFiles(folder, $".{Path.GetFileName(outPath)}.*.tmp"))
        {
            try
            {
                File.Delete(temp);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another worker may be writing it right now; leave it.
            }
        }
    }
}
