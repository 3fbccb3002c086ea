using System.Numerics;

namespace Hush.Engine.Kernels;

/// <summary>0/1 mask arithmetic over spans (vector body, scalar tail: the tail is the scalar twin, and the vector body
/// computes the same comparisons, so both give identical masks).</summary>
internal static class Masks
{
    // m[k] = m[k] >= limit ? 1 : 0
    public static void AtLeast(Span<float> m, float limit)
    {
        int k = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var l = new Vector<float>(limit);
            for (; k <= m.Length - Vector<float>.Count; k += Vector<float>.Count)
            {
                var v = new Vector<float>(m[k..]);
                Vector.ConditionalSelect(Vector.GreaterThanOrEqual(v, l), Vector<float>.One, Vector<float>.Zero).CopyTo(m[k..]);
            }
        }

        for (; k < m.Length; k++) m[k] = m[k] >= limit ? 1f : 0f;
    }

    // mask[k] = mask[k] == 1 ? 1 : other[k]
    public static void OneOr(Span<float> mask, ReadOnlySpan<float> other)
    {
        int k = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; k <= mask.Length - Vector<float>.Count; k += Vector<float>.Count)
            {
                var v = new Vector<float>(mask[k..]);
                Vector.ConditionalSelect(Vector.Equals(v, Vector<float>.One), Vector<float>.One, new Vector<float>(other[k..])).CopyTo(mask[k..]);
            }
        }

        for (; k < mask.Length; k++) mask[k] = mask[k] == 1f ? 1f : other[k];
    }
}
