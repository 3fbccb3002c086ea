namespace Hush.Cli.Batch;

/// <summary>One file of a batch and the name its output gets inside the output folder.</summary>
internal sealed record BatchItem(string Input, string RelativeOutput);

/// <summary>
/// Expands the INPUT arguments of <c>hush denoise</c>: files as given; a folder gives every image file below it
/// (recursively, by extension), keeping its path relative to the folder; a name with * or ? in its last part is
/// matched in its folder (we expand it, so quote it to keep the shell from doing so; wildcards in folder names are
/// not supported). Outputs keep the input's file name, so two inputs with the same name are refused.
/// </summary>
internal static class BatchInputs
{
    /// <summary>True when the arguments make a batch (several inputs, a folder or a pattern) rather than one file.</summary>
    public static bool IsBatch(IReadOnlyList<string> inputs) =>
        inputs.Count != 1 || Directory.Exists(inputs[0]) || IsPattern(inputs[0]);

    /// <summary>Every file of the batch, sorted ordinally by input path (the order shards are dealt from).</summary>
    public static IReadOnlyList<BatchItem> Expand(IReadOnlyList<string> inputs)
    {
        var items = new List<BatchItem>();
        foreach (string input in inputs)
        {
            if (Directory.Exists(input))
                items.AddRange(ImagesBelow(input).Select(f => new BatchItem(f, Path.GetRelativePath(input, f))));
            else if (IsPattern(input))
                items.AddRange(Matches(input).Select(f => new BatchItem(f, Path.GetFileName(f))));
            else
                items.Add(new BatchItem(input, Path.GetFileName(input))); // a missing file fails on its own, later
        }
        var sorted = items.DistinctBy(i => Path.GetFullPath(i.Input)).OrderBy(i => i.Input, StringComparer.Ordinal).ToList();
        var clash = sorted.GroupBy(i => i.RelativeOutput, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (clash != null)
            throw new UsageException($"{clash.First().Input} and {clash.Skip(1).First().Input} would both be written as {clash.Key}; give them separately");
        return sorted;
    }

    private static bool IsPattern(string path) => Path.GetFileName(path).IndexOfAny(['*', '?']) >= 0;

    private static IEnumerable<string> ImagesBelow(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => Hush.Imaging.ImageFile.IsSupportedExtension(f) && !Path.GetFileName(f).StartsWith('.'));

    private static IEnumerable<string> Matches(string pattern)
    {
        string folder = Path.GetDirectoryName(pattern) is { Length: > 0 } d ? d : ".";
        if (!Directory.Exists(folder))
            throw new InvalidInputException($"{pattern}: folder {folder} does not exist");
        var found = Directory.EnumerateFiles(folder, Path.GetFileName(pattern), SearchOption.TopDirectoryOnly)
            .Where(f => !Path.GetFileName(f).StartsWith('.'))
            .Select(f => folder == "." && !pattern.StartsWith('.') ? Path.GetFileName(f) : f).ToList();
        if (found.Count == 0)
            throw new InvalidInputException($"{pattern}: no file matches");
        return found;
    }
}
