namespace Hush.Engine;

/// <summary>Thread budget of the engine's kernels. Results are bit-identical for a fixed value.</summary>
public static class Threading
{
    /// <summary>Maximum worker threads a kernel may use: the current <see cref="EngineContext"/>'s
    /// <see cref="EngineContext.Threads"/> (default <see cref="Environment.ProcessorCount"/>, at least 1). Setting it
    /// changes the current context too: outside any entered context that is <see cref="EngineContext.Default"/>, so
    /// it applies to every thread that entered none (as a process-wide setting would); inside a scope it applies to
    /// that scope's context only.</summary>
    public static int MaxThreads
    {
        get => EngineContext.Current.Threads;
        set => EngineContext.Current.Threads = value;
    }

    /// <summary>Runs body(part) for part = 0 … <paramref name="parts"/> − 1 on the current context's workers, each part
    /// on one thread: for callers outside the engine that keep state per part (accumulators summed in part order, so
    /// results depend on the part count only).</summary>
    public static void ForEachPart(int parts, Action<int> body) =>
        Par.For(parts, parts, (start, end) =>
        {
            for (int p = start; p < end; p++) body(p);
        });
}

/// <summary>Static partitions: part p of P gets the contiguous range [count*p/P, count*(p+1)/P). Which thread runs
/// a part never changes what it computes, so results depend on P only. Threads and workers are the current
/// <see cref="EngineContext"/>'s. <see cref="Balanced{TBody}"/> regions hand out
/// smaller chunks in turn instead, for bodies whose result per index does not depend on the range.</summary>
internal static class Par
{
    /// <summary>Elementwise kernels below this many elements run on the calling thread.</summary>
    public const int ElementwiseThreshold = 1 << 16;

    /// <summary>Runs body(start, end) over <paramref name="parts"/> static contiguous chunks of [0, count).</summary>
    public static void For(int count, int parts, Action<int, int> body) => For(count, parts, new ActionBody(body));

    /// <summary>Splits [0, count) over at most MaxThreads parts.</summary>
    public static void For(int count, Action<int, int> body) => For(count, Threading.MaxThreads, body);

    /// <summary><see cref="For(int, int, Action{int, int})"/> with a struct body: allocates nothing.</summary>
    public static void For<TBody>(int count, int parts, TBody body) where TBody : struct, IRangeBody => Start(count, parts, 0, body);

    /// <summary>[0, count) in chunks of about count / (<see cref="ChunksPerThread"/> × threads) indices, claimed by the
    /// threads in turn (load-balanced; see <see cref="WorkerPool.Run{TBody}(int, int, int, TBody)"/>). Only for bodies
    /// whose output for an index does not depend on the range it is computed in; then the result is the same as
    /// <see cref="For{TBody}(int, TBody)"/>'s for any thread count.</summary>
    public static void Balanced<TBody>(int count, TBody body) where TBody : struct, IRangeBody
    {
        int parts = Math.Clamp(Threading.MaxThreads, 1, Math.Max(count, 1));
        Start(count, parts, Math.Max(1, count / (ChunksPerThread * parts)), body);
    }

    // One region over [0, count): static parts (grain 0) or chunks of grain claimed in turn; one part runs inline.
    private static void Start<TBody>(int count, int parts, int grain, TBody body) where TBody : struct, IRangeBody
    {
        if (count <= 0) return;
        parts = Math.Clamp(parts, 1, count);
        if (parts == 1)
        {
            body.Run(0, count);
            return;
        }

        WorkerPool.Current.Run(count, parts, grain, body);
    }

    /// <summary>Chunks per thread in a <see cref="Balanced{TBody}"/> region: enough that a thread slowed down for a
    /// while hands its share over, few enough that claiming them costs nothing.</summary>
    public const int ChunksPerThread = 8;

    /// <summary>Splits [0, count) over at most MaxThreads parts; struct body, no allocation.</summary>
    public static void For<TBody>(int count, TBody body) where TBody : struct, IRangeBody => For(count, Threading.MaxThreads, body);

    /// <summary>Elementwise split: single-threaded below <see cref="ElementwiseThreshold"/>; body(start, length).</summary>
    public static void Elements(int count, Action<int, int> body) => Elements(count, new ActionBody((s, e) => body(s, e - s)));

    /// <summary>Elementwise split with a struct body: single-threaded below <see cref="ElementwiseThreshold"/>;
    /// body.Run(start, end) (note: end, not length).</summary>
    public static void Elements<TBody>(int count, TBody body) where TBody : struct, IRangeBody =>
        For(count, ElementParts(count), body);

    private static int ElementParts(int count) =>
        count < ElementwiseThreshold ? 1 : Math.Min(Threading.MaxThreads, count / (ElementwiseThreshold / 2));
}
