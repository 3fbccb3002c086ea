namespace Hush.Cli.Batch;

/// <summary>
/// Which share of a batch this process does: shard K of N (K from 0 to N − 1) takes the files at positions
/// i with i mod N = K of the ordinally sorted input list, so N workers given the same arguments split the batch
/// with no overlap and no gap. From <c>--shard K/N</c>; otherwise from a Slurm job array
/// (K = SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN, N = SLURM_ARRAY_TASK_COUNT) or a Kubernetes indexed Job
/// (K = JOB_COMPLETION_INDEX, N = HUSH_SHARD_COUNT, which the Job spec must set to its completions); else all files.
/// </summary>
internal sealed record Shard(int Index, int Count)
{
    public static Shard All { get; } = new(0, 1);

    public bool Takes(int position) => position % Count == Index;

    public override string ToString() => $"{Index}/{Count}";

    /// <summary>Parses "K/N" (0 ≤ K &lt; N).</summary>
    public static Shard Parse(string text, string source = "--shard")
    {
        var parts = text.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], out int k) || !int.TryParse(parts[1], out int n) || n < 1 || k < 0 || k >= n)
            throw new UsageException($"{source} must be K/N with 0 ≤ K < N (e.g. 0/4), got '{text}'");
        return new Shard(k, n);
    }

    /// <summary>The shard from <c>--shard</c> when given, else from the environment (rules in the class summary).</summary>
    public static Shard Resolve(string? option, Func<string, string?> environment)
    {
        if (option != null)
            return Parse(option);
        if (environment("SLURM_ARRAY_TASK_ID") is string id && environment("SLURM_ARRAY_TASK_COUNT") is string count)
        {
            int min = Number(environment("SLURM_ARRAY_TASK_MIN") ?? "0", "SLURM_ARRAY_TASK_MIN");
            return Parse($"{Number(id, "SLURM_ARRAY_TASK_ID") - min}/{count}", "SLURM_ARRAY_TASK_ID/COUNT");
        }
        if (environment("JOB_COMPLETION_INDEX") is string index)
        {
            string total = environment("HUSH_SHARD_COUNT")
                ?? throw new UsageException("JOB_COMPLETION_INDEX is set but HUSH_SHARD_COUNT is not: set it to the Job's completions, or pass --shard K/N");
            return Parse($"{index}/{total}", "JOB_COMPLETION_INDEX/HUSH_SHARD_COUNT");
        }
        return All;
    }

    private static int Number(string text, string name) =>
        int.TryParse(text, out int value) ? value : throw new UsageException($"{name} must be a whole number, got '{text}'");
}
