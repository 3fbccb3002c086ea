using Hush.Engine.Kernels;

namespace Hush.Engine;

/// <summary>
/// What the engine's kernels run on: a thread budget, the persistent workers that run parallel regions, and the pool
/// of scratch buffers. Each thread works in one context at a time (<see cref="Current"/>), so two computations in
/// separate contexts can run at once without changing each other's thread split (results are bit-identical for a
/// fixed thread count, whoever else is running) or waiting for each other's workers.
/// <code>
/// using var context = new EngineContext(threads: 2);
/// using (context.Enter()) { /* every op on this thread uses 2 threads and this context's workers and buffers */ }
/// </code>
/// A context runs one computation at a time: a second thread that enters it while a region runs still gets the same
/// results (it runs its regions serially), but the two share one pool of workers and buffers. Give each concurrent
/// computation its own context (<see cref="Borrow"/> hands out idle ones).
/// </summary>
public sealed partial class EngineContext : IDisposable
{
    [ThreadStatic] private static EngineContext? _current;

    private int _threads;
    private int _disposed;

    /// <summary>The context of threads that entered none: <see cref="Environment.ProcessorCount"/> threads until
    /// <see cref="Threading.MaxThreads"/> or <see cref="Threads"/> changes it. It cannot be disposed.</summary>
    public static EngineContext Default { get; } = new(Environment.ProcessorCount);

    /// <summary>The calling thread's context: the innermost one it entered, <see cref="Default"/> if none. A worker
    /// thread of a context's pool always sees that context, so scratch buffers and nested regions inside a parallel
    /// part come from the context that opened the region.</summary>
    public static EngineContext Current => _current ?? Default;

    /// <param name="threads">Most threads a kernel may use (at least 1). Workers start when a region first needs them.</param>
    public EngineContext(int threads)
    {
        Threads = threads;
        Pool = new WorkerPool(this);
    }

    /// <summary>Most threads a kernel may use (at least 1). Results are bit-identical for a fixed value.</summary>
    public int Threads
    {
        get => Volatile.Read(ref _threads);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            Volatile.Write(ref _threads, value);
        }
    }

    /// <summary>Whether <see cref="Dispose"/> has stopped this context's workers.</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    internal WorkerPool Pool { get; }

    internal ScratchPool Scratch { get; } = new();

    /// <summary>Makes this context <see cref="Current"/> on the calling thread until the scope is disposed (on the same
    /// thread), which restores the previous one. Scopes nest.</summary>
    public Scope Enter()
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        var previous = _current;
        _current = this;
        return new Scope(previous);
    }

    /// <summary>Stops the workers (after the region in flight, if any) and drops the scratch buffers. Regions opened
    /// in a disposed context throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (ReferenceEquals(this, Default)) throw new InvalidOperationException("the default engine context cannot be disposed");
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        Pool.Stop();
        Scratch.Clear();
    }

    // Worker threads of this context's pool: set once when each starts.
    internal void BecomeCurrentForWorker() => _current = this;

    /// <summary>Restores the context that was current before <see cref="Enter"/>. A struct: entering allocates nothing.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly EngineContext? _previous;

        internal Scope(EngineContext? previous) => _previous = previous;

        /// <summary>Makes the previous context current again.</summary>
        public void Dispose() => _current = _previous;
    }
}
