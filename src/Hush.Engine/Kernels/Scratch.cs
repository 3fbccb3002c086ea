namespace Hush.Engine.Kernels;

/// <summary>
/// Scratch buffers for kernels (padded copies, transformed tiles, packed weights), pooled by size class and kept for as
/// long as the computation that uses them goes on: a context handed back after a call drops the sizes that call did not
/// use (<see cref="ScratchPool.TrimUnused"/>), so a process that denoises images of many sizes (a batch) holds the
/// buffers of the last one, not of every one. <see cref="System.Buffers.ArrayPool{T}.Shared"/> is not enough here: it drops arrays of some sizes and
/// trims after garbage collections, and every buffer it gives up costs a fresh large-object allocation whose pages
/// the kernel must zero on first touch (several ms per training step at 256×256).
/// Size classes are eight per octave (length rounded up by at most 12.5 %), so a 2048×2048 training step does not
/// hold a third more memory than it uses, as power-of-two classes would. Contents of a rented buffer are arbitrary.
/// The pool is the current <see cref="EngineContext"/>'s (<see cref="ScratchPool"/>): a computation in a context of
/// its own finds its buffers where it left them, whatever else runs, so it allocates nothing after warm-up.
/// </summary>
internal static class Scratch
{
    // Each thread's own buffers for work inside parallel regions (see RentLocal): a few entries, scanned linearly.
    // A worker thread belongs to one context, so its set stays with that context's work.
    [ThreadStatic] private static List<(float[] Buffer, int Generation)>? _local;

    /// <summary>A buffer of at least <paramref name="length"/> floats from the current context's pool.</summary>
    public static float[] Rent(int length) => EngineContext.Current.Scratch.Rent(length);

    /// <summary>Gives a buffer back to the current context's pool.</summary>
    public static void Return(float[] buffer) => EngineContext.Current.Scratch.Return(buffer);

    // The smallest m·2^k ≥ length with 8 ≤ m < 16 (exact below 16).
    internal static long SizeClass(int length)
    {
        if (length <= 16) return Math.Max(length, 1);
        int shift = 63 - System.Numerics.BitOperations.LeadingZeroCount((ulong)length) - 3; // keep the top 4 bits
        long m = ((long)length + (1L << shift) - 1) >> shift;
        return m << shift;
    }

    /// <summary>A buffer of at least <paramref name="length"/> floats for work that starts and ends on this thread,
    /// inside one chunk of a parallel region; give it back with <see cref="ReturnLocal"/> on the same thread.
    /// Why not <see cref="Rent"/>: how many such buffers the shared pool ends up holding depends on how the threads
    /// happened to overlap while it was filling. If the worker woke late during warm-up, the caller ran every chunk
    /// alone and one set was enough; the first later region in which both threads ran at once then allocated a
    /// second set in the middle of training. Kept per thread, each thread's set is fixed by what one chunk needs.</summary>
    public static float[] RentLocal(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        long size = SizeClass(length);
        if (_local is { } local)
        {
            for (int i = local.Count - 1; i >= 0; i--)
            {
                if (local[i].Buffer.Length != size) continue;
                float[] buffer = local[i].Buffer;
                local[i] = local[^1];
                local.RemoveAt(local.Count - 1);
                return buffer;
            }
        }

        return Rent(length);
    }

    /// <summary>Gives back a buffer from <see cref="RentLocal"/> to this thread's own set.</summary>
    public static void ReturnLocal(float[] buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (SizeClass(buffer.Length) != buffer.Length) return;
        int generation = EngineContext.Current.Scratch.Generation;
        var local = _local ??= new(32); // room for every size a thread holds at once: a growing list would allocate mid-run
        // Buffers given back in an earlier call and not rented since belong to sizes of a finished computation.
        for (int i = local.Count - 1; i >= 0; i--) // no lambda: a training step must not allocate
            if (local[i].Generation != generation) local.RemoveAt(i);
        local.Add((buffer, generation));
    }
}

/// <summary>One context's scratch buffers by size class (see <see cref="Scratch"/>).</summary>
internal sealed class ScratchPool
{
    private readonly Dictionary<long, Stack<float[]>> _free = new();
    private readonly HashSet<long> _rented = new(); // size classes rented since the last trim

    /// <summary>How many times the pool was trimmed: per-thread buffers (<see cref="Scratch.RentLocal"/>) from an
    /// earlier generation are dropped the same way.</summary>
    public int Generation { get; private set; }

    /// <summary>A buffer of at least <paramref name="length"/> floats.</summary>
    public float[] Rent(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        long size = Scratch.SizeClass(length);
        lock (_free)
        {
            _rented.Add(size);
            if (_free.TryGetValue(size, out var stack) && stack.Count > 0) return stack.Pop();
        }

        return new float[size > Array.MaxLength ? length : (int)size];
    }

    public void Return(float[] buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        long size = buffer.Length;
        if (Scratch.SizeClass(buffer.Length) != size) return; // not one of ours (an oversize exact-length buffer): the GC takes it
        lock (_free)
        {
            if (!_free.TryGetValue(size, out var stack)) _free[size] = stack = new Stack<float[]>();
            stack.Push(buffer);
        }
    }

    /// <summary>Drops the buffers of every size class not rented since the last trim, and starts a new generation:
    /// called when a context is handed back after a call, so the next call of the same sizes finds its buffers and
    /// those of other sizes go back to the GC.</summary>
    public void TrimUnused()
    {
        lock (_free)
        {
            foreach (long size in _free.Keys.Where(k => !_rented.Contains(k)).ToArray()) _free.Remove(size);
            _rented.Clear();
            Generation++;
        }
    }

    /// <summary>Drops every pooled buffer (a disposed context's memory goes back to the GC).</summary>
    public void Clear()
    {
        lock (_free) _free.Clear();
    }
}
