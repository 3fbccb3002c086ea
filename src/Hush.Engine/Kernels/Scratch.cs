namespace Hush.Engine.Kernels;

/// <summary>
/// Scratch buffers for kernels (padded copies, transformed tiles, packed weights), pooled by power-of-two size and
/// never trimmed. <see cref="System.Buffers.ArrayPool{T}.Shared"/> is not enough here: it drops arrays of some
/// sizes and trims after garbage collections, and every buffer it gives up costs a fresh large-object allocation
/// whose pages the kernel must zero on first touch (several ms per training step at 256×256).
/// Contents of a rented buffer are arbitrary.
/// </summary>
internal static class Scratch
{
    private const int Buckets = 32;
    private static readonly Stack<float[]>[] Free = Enumerable.Range(0, Buckets).Select(_ => new Stack<float[]>()).ToArray();

    /// <summary>A buffer of at least <paramref name="length"/> floats (the next power of two).</summary>
    public static float[] Rent(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        int bucket = Bucket(length);
        var stack = Free[bucket];
        lock (stack)
        {
            if (stack.Count > 0) return stack.Pop();
        }

        long size = 1L << bucket;
        return new float[size > Array.MaxLength ? length : (int)size];
    }

    public static void Return(float[] buffer)
    {
        int bucket = Bucket(buffer.Length);
        if (buffer.Length != 1 << bucket) return; // an odd-sized oversize buffer: let the GC have it
        var stack = Free[bucket];
        lock (stack) stack.Push(buffer);
    }

    private static int Bucket(int length) => length <= 1 ? 0 : 32 - System.Numerics.BitOperations.LeadingZeroCount((uint)(length - 1));
}
