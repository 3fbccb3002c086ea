namespace Hush.Engine.Kernels;

/// <summary>
/// Scratch buffers for kernels (padded copies, transformed tiles, packed weights), pooled by size class and never
/// trimmed. <see cref="System.Buffers.ArrayPool{T}.Shared"/> is not enough here: it drops arrays of some sizes and
/// trims after garbage collections, and every buffer it gives up costs a fresh large-object allocation whose pages
/// the kernel must zero on first touch (several ms per training step at 256×256).
/// Size classes are eight per octave (length rounded up by at most 12.5 %), so a 2048×2048 training step does not
/// hold a third more memory than it uses, as power-of-two classes would. Contents of a rented buffer are arbitrary.
/// </summary>
internal static class Scratch
{
    private static readonly Dictionary<long, Stack<float[]>> Free = new();

    /// <summary>A buffer of at least <paramref name="length"/> floats.</summary>
    public static float[] Rent(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        long size = SizeClass(length);
        lock (Free)
        {
            if (Free.TryGetValue(size, out var stack) && stack.Count > 0) return stack.Pop();
        }

        return new float[size > Array.MaxLength ? length : (int)size];
    }

    public static void Return(float[] buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        long size = buffer.Length;
        if (SizeClass(buffer.Length) != size) return; // not one of ours (an oversize exact-length buffer): the GC takes it
        lock (Free)
        {
            if (!Free.TryGetValue(size, out var stack)) Free[size] = stack = new Stack<float[]>();
            stack.Push(buffer);
        }
    }

    // The smallest m·2^k ≥ length with 8 ≤ m < 16 (exact below 16).
    internal static long SizeClass(int length)
    {
        if (length <= 16) return Math.Max(length, 1);
        int shift = 63 - System.Numerics.BitOperations.LeadingZeroCount((ulong)length) - 3; // keep the top 4 bits
        long m = ((long)length + (1L << shift) - 1) >> shift;
        return m << shift;
    }
}
