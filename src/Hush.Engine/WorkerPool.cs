using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace Hush.Engine;

/// <summary>
/// Persistent workers for <see cref="Par"/>: part 0 of a parallel region runs on the caller, part p on worker p.
/// A training step opens a hundred or more short regions (a few hundred µs each); waking thread-pool tasks for each
/// cost tens of µs and often landed both parts on one core. Workers spin briefly on a generation counter after each
/// region, then sleep on a monitor, so back-to-back regions start within a microsecond and an idle process uses no CPU.
/// Each <see cref="EngineContext"/> owns one pool, and its workers see that context as current.
/// </summary>
internal sealed unsafe class WorkerPool
{
    /// <summary>The default context's pool.</summary>
    public static WorkerPool Shared => EngineContext.Default.Pool;

    /// <summary>The calling thread's context's pool (what <see cref="Par"/> runs on).</summary>
    public static WorkerPool Current => EngineContext.Current.Pool;

    private const int SpinIterations = 20_000; // about 50–100 µs of spinning before a worker sleeps

    [ThreadStatic] private static bool _inRegion;

    private readonly object _gate = new();
    private readonly object _runLock = new();
    private readonly List<Thread> _workers = new();
    private int _generation;
    private int _pending;
    // The region's body: a struct on the caller's stack (which outlives the region) and the generic trampoline that
    // calls it. A delegate would need a closure object per region; this needs none (zero allocations per step).
    private void* _state;
    private delegate*<void*, int, int, void> _invoke;
    private int _count, _parts;
    private int _grain; // 0: static parts; else chunks of this many indices, claimed in turn from _next
    private int _next;
    private ExceptionDispatchInfo? _failure;
    private readonly EngineContext _owner;
    private volatile bool _stopped;

    public WorkerPool(EngineContext owner) => _owner = owner;

    /// <summary>The workers started so far (worker p runs part p of a region).</summary>
    internal IReadOnlyList<Thread> Workers
    {
        get
        {
            lock (_runLock) return _workers.ToArray();
        }
    }

    public void Run(int count, int parts, Action<int, int> body) => Run(count, parts, new ActionBody(body));

    /// <summary>Runs body.Run(start, end) for the <paramref name="parts"/> static parts of [0, count). The body is
    /// passed by value and lives in this frame until every part has finished.</summary>
    public void Run<TBody>(int count, int parts, TBody body) where TBody : struct, IRangeBody => Run(count, parts, 0, body);

    /// <summary>Runs body.Run(start, end) over [0, count) cut into chunks of <paramref name="grain"/> indices (the last may
    /// be shorter) that <paramref name="parts"/> threads claim one after another, so a thread that is slowed down (woken
    /// late, sharing its core) does less of the work instead of holding the region up. Only for bodies whose result
    /// for an index does not depend on which range it came in (disjoint outputs, no per-part partial sums): then the
    /// result is the same whoever runs which chunk. grain 0 = the static parts of <see cref="Run{TBody}(int, int, TBody)"/>.</summary>
    public void Run<TBody>(int count, int parts, int grain, TBody body) where TBody : struct, IRangeBody
    {
        // Nested regions, or a second caller while a region runs: do every part here, in order. Parts write
        // disjoint outputs, so this computes exactly what the parallel run would.
        if (_inRegion || !Monitor.TryEnter(_runLock))
        {
            RunSerially(count, parts, ref body);
            return;
        }

        try
        {
            ObjectDisposedException.ThrowIf(_stopped, _owner);
            EnsureWorkers(parts - 1);
            _state = Unsafe.AsPointer(ref body);
            _invoke = &Invoke<TBody>;
            _count = count;
            _parts = parts;
            _grain = grain;
            _next = 0;
            _failure = null;
            Volatile.Write(ref _pending, parts - 1);
            lock (_gate)
            {
                Interlocked.Increment(ref _generation);
                Monitor.PulseAll(_gate);
            }

            _inRegion = true;
            try
            {
                RunPart(0);
            }
            finally
            {
                _inRegion = false;
                // The other parts usually finish within microseconds of ours: busy-wait first (a yield costs a
                // syscall), then yield, so a worker preempted by another process gets the core back quickly.
                int spins = 0;
                while (Volatile.Read(ref _pending) != 0)
                {
                    if (++spins < 4000) Thread.SpinWait(8);
                    else Thread.Yield();
                }
                _state = null;
                _invoke = null;
            }

            _failure?.Throw();
        }
        finally
        {
            Monitor.Exit(_runLock);
        }
    }

    private static void Invoke<TBody>(void* state, int start, int end) where TBody : struct, IRangeBody =>
        Unsafe.AsRef<TBody>(state).Run(start, end);

    private static void RunSerially<TBody>(int count, int parts, ref TBody body) where TBody : struct, IRangeBody
    {
        for (int p = 0; p < parts; p++)
        {
            int start = (int)((long)count * p / parts), end = (int)((long)count * (p + 1) / parts);
            if (end > start) body.Run(start, end);
        }
    }

    private void RunPart(int p)
    {
        if (_grain > 0)
        {
            int grain = _grain, count = _count;
            for (int s = Interlocked.Add(ref _next, grain) - grain; s < count; s = Interlocked.Add(ref _next, grain) - grain)
                _invoke(_state, s, Math.Min(count, s + grain));
            return;
        }

        int start = (int)((long)_count * p / _parts), end = (int)((long)_count * (p + 1) / _parts);
        if (end > start) _invoke(_state, start, end);
    }

    private void EnsureWorkers(int needed)
    {
        while (_workers.Count < needed)
        {
            int index = _workers.Count + 1, generation = Volatile.Read(ref _generation); // before the region it is created for
            var t = new Thread(() => WorkerLoop(index, generation)) { IsBackground = true, Name = $"Hush worker {index}" };
            _workers.Add(t);
            t.Start();
        }
    }

    /// <summary>Lets the workers finish the region in flight, if any, and end; waits for them (unless called from one).</summary>
    public void Stop()
    {
        Thread[] workers;
        lock (_runLock)
        {
            if (_stopped) return;
            _stopped = true; // before the generation moves on: a worker that sees the new generation sees this too
            lock (_gate)
            {
                Interlocked.Increment(ref _generation);
                Monitor.PulseAll(_gate);
            }

            workers = _workers.ToArray();
        }

        foreach (var t in workers)
        {
            if (t != Thread.CurrentThread) t.Join();
        }
    }

    private void WorkerLoop(int index, int seen)
    {
        _inRegion = true; // a body that opens a region from a worker runs it serially
        _owner.BecomeCurrentForWorker(); // its scratch buffers and thread budget are the owner's
        while (true)
        {
            int spins = 0;
            while (Volatile.Read(ref _generation) == seen && spins++ < SpinIterations) Thread.SpinWait(1);
            if (Volatile.Read(ref _generation) == seen)
            {
                lock (_gate)
                {
                    while (_generation == seen) Monitor.Wait(_gate);
                }
            }

            seen = Volatile.Read(ref _generation);
            if (_stopped) return;
            if (index >= _parts) continue; // not needed in this region
            try
            {
                RunPart(index);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
            }
            finally
            {
                Interlocked.Decrement(ref _pending);
            }
        }
    }
}

/// <summary>The body of a parallel region: Run(start, end) over one part. Implemented by small structs that carry a
/// kernel's arguments, so opening a region allocates nothing (a capturing lambda allocates a closure and a delegate).</summary>
internal interface IRangeBody
{
    void Run(int start, int end);
}

/// <summary>A delegate as a region body (tests and code off the hot path).</summary>
internal readonly struct ActionBody(Action<int, int> body) : IRangeBody
{
    public void Run(int start, int end) => body(start, end);
}
