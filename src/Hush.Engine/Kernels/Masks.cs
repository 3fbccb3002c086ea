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
}
