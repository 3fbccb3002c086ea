namespace Hush.Engine;

public sealed partial class EngineContext
{
    // Idle contexts kept for later calls: a new context starts its workers again and refills its scratch buffers
    // (the first steps of a run then allocate and page in their buffers anew). Kept few, since each holds its
    // buffers until it is disposed; the one returned longest ago goes first.
    private const int MaxIdle = 4;
    private static readonly List<EngineContext> Idle = new();

    /// <summary>Checks out a context with <paramref name="threads"/> threads for the calling thread's exclusive use
    /// and enters it: an idle one from an earlier call if there is one, else a new one. Disposing the result (on the same
    /// thread) restores the previous <see cref="Current"/> and keeps the context for a later call. No two borrowers
    /// ever hold one context at once, so concurrent calls never share workers or buffers.</summary>
    public static Borrowed Borrow(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        EngineContext? context = null;
        lock (Idle)
        {
            // The most recently returned first: its buffers are the most likely to still be in cache.
            for (int i = Idle.Count - 1; i >= 0 && context is null; i--)
            {
                if (Idle[i].Threads != threads) continue;
                context = Idle[i];
                Idle.RemoveAt(i);
            }
        }

        context ??= new EngineContext(threads);
        return new Borrowed(context, threads);
    }

    private static void GiveBack(EngineContext context, int threads)
    {
        // Its thread count was changed while borrowed (Threading.MaxThreads set inside the scope): no longer the
        // context a caller asking for this count expects.
        if (context.IsDisposed || context.Threads != threads)
        {
            if (!context.IsDisposed) context.Dispose();
            return;
        }

        context.Scratch.TrimUnused(); // keep what this call used, for the next call of the same sizes
        EngineContext? evicted = null;
        lock (Idle)
        {
            if (Idle.Count >= MaxIdle)
            {
                evicted = Idle[0];
                Idle.RemoveAt(0);
            }

            Idle.Add(context);
        }

        evicted?.Dispose();
    }

    /// <summary>A context checked out by <see cref="Borrow"/> and entered on the borrowing thread. A class, so that
    /// disposing it twice cannot hand the context back twice (two later borrowers would then share it).</summary>
    public sealed class Borrowed : IDisposable
    {
        private readonly int _threads;
        private readonly Scope _scope;
        private int _returned;

        internal Borrowed(EngineContext context, int threads)
        {
            Context = context;
            _threads = threads;
            _scope = context.Enter();
        }

        /// <summary>The borrowed context, current on this thread until disposed.</summary>
        public EngineContext Context { get; }

        /// <summary>Restores the previous context and returns this one to the pool for reuse.</summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _returned, 1) != 0) return;
            _scope.Dispose();
            GiveBack(Context, _threads);
        }
    }
}
