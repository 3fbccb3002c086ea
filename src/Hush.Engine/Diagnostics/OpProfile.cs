using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Hush.Engine.Diagnostics;

/// <summary>
/// Wall time per op while <see cref="Start"/>ed: what `hush bench speed --profile` prints. An op's forward time is the
/// time since the previous mark on the thread that records (ops run their kernel, then make their result node, so
/// the node's creation closes the op); each backward rule is timed around its call; <see cref="Mark"/> closes spans
/// that are not ops (the optimizer, mask drawing). Managed bytes allocated on the recording thread are counted the same
/// way, read before the profiler's own bookkeeping (which allocates) and after it, so they are the op's alone.
/// Off, it costs one static read per op. One recording thread at a time.
/// </summary>
public static partial class OpProfile
{
    private static volatile bool _on;
    private static long _last, _lastBytes;
    private static readonly Dictionary<string, Entry> Entries = new();
    private static readonly Dictionary<MethodInfo, string> Names = new();

    internal static bool IsOn => _on;

    /// <summary>Clears the table and starts recording.</summary>
    public static void Start()
    {
        lock (Entries) Entries.Clear();
        _lastBytes = GC.GetAllocatedBytesForCurrentThread();
        _last = Stopwatch.GetTimestamp();
        _on = true;
    }

    /// <summary>Stops recording and returns the time, calls and bytes per op, slowest first.</summary>
    public static IReadOnlyList<OpTime> Stop()
    {
        _on = false;
        lock (Entries)
            return Entries.Select(e => new OpTime(e.Key, e.Value.Ticks * 1000.0 / Stopwatch.Frequency, e.Value.Calls, e.Value.Bytes))
                .OrderByDescending(e => e.Milliseconds).ToList();
    }

    /// <summary>Attributes the time (and bytes allocated) since the previous mark to <paramref name="name"/>.</summary>
    public static void Mark(string name) => Close(name, null, null, null);

    /// <summary>Closes the forward span of the op that made <paramref name="result"/> from <paramref name="input"/>.</summary>
    internal static void Forward(Delegate rule, Tensor input, Tensor result) => Close(null, rule, input, result);

    // The span since the previous mark, read before the name is built (building it allocates).
    private static void Close(string? name, Delegate? rule, Tensor? input, Tensor? result)
    {
        if (!_on) return;
        long now = Stopwatch.GetTimestamp(), bytes = GC.GetAllocatedBytesForCurrentThread();
        Add(name ?? NameOf(rule!.Method, input!.Shape, result!.Shape), now - _last, bytes - _lastBytes);
        _lastBytes = GC.GetAllocatedBytesForCurrentThread();
        _last = Stopwatch.GetTimestamp();
    }

    /// <summary>Runs a backward rule, timed under its op's name.</summary>
    internal static void Backward(Tensor t, float[] grad)
    {
        long bytes = GC.GetAllocatedBytesForCurrentThread(), start = Stopwatch.GetTimestamp();
        Autograd.ApplyRule(t, grad);
        long end = Stopwatch.GetTimestamp(), allocated = GC.GetAllocatedBytesForCurrentThread() - bytes;
        Add(NameOf(((Delegate?)t.Rule ?? t.BackwardRule!).Method, t.Parents[0].Shape, t.Shape) + " ∂", end - start, allocated);
        _lastBytes = GC.GetAllocatedBytesForCurrentThread();
        _last = Stopwatch.GetTimestamp();
    }

    private static void Add(string name, long ticks, long bytes)
    {
        lock (Entries)
        {
            Entries.TryGetValue(name, out Entry e);
            Entries[name] = new Entry(e.Ticks + ticks, e.Calls + 1, e.Bytes + bytes);
        }
    }

    // "Op [input shape]→[output shape]". A rule is a lambda compiled as "<Conv>b__3_0" inside Ops (or a fused-op
    // class): the op is the enclosing method.
    private static string NameOf(MethodInfo m, int[] input, int[] output)
    {
        string op;
        lock (Names)
        {
            if (!Names.TryGetValue(m, out op!))
            {
                Match match = LambdaOwner().Match(m.Name);
                string owner = m.DeclaringType?.Name is { } type && !type.StartsWith('<') && type != nameof(Ops) ? type + "." : "";
                op = Names[m] = owner + (match.Success ? match.Groups[1].Value : m.Name);
            }
        }

        return $"{op} [{string.Join(",", input)}]→[{string.Join(",", output)}]";
    }

    [GeneratedRegex("^<([^>]+)>")]
    private static partial Regex LambdaOwner();

    private readonly record struct Entry(long Ticks, long Calls, long Bytes);
}

/// <summary>One op's (or span's) total over a profile: wall milliseconds, calls, and managed bytes allocated on the
/// recording thread.</summary>
public readonly record struct OpTime(string Name, double Milliseconds, long Calls, long Bytes);
