using System.Numerics;

namespace Hush.Engine.Kernels;

/// <summary>
/// Bernoulli masks from a counter-based hash: element i's uniform is a function of (key, i) only, so a mask is filled
/// in vector lanes and in parallel parts with the same result for any thread count or SIMD width. Drawing each
/// element from a sequential generator cost a quarter of a Self2Self+ step (tens of millions of dropout samples).
/// The hash is two rounds of a 32-bit integer mixer (xor-shift-multiply, constants from Wellons' "lowbias32"),
/// keyed by the two halves of one 64-bit draw; its top 24 bits are the uniform, as in <see cref="Rng.NextFloat"/>.
/// </summary>
internal static class Bernoulli
{
    /// <summary>Uniform in [0, 2^24) of element <paramref name="i"/> under key (k0, k1): the scalar twin.</summary>
    public static uint Uniform24(uint i, uint k0, uint k1) => Mix(Mix(i ^ k0) + k1) >> 8;

    private static uint Mix(uint x)
    {
        x ^= x >> 16;
        x *= 0x7feb352dU;
        x ^= x >> 15;
        x *= 0x846ca68bU;
        x ^= x >> 16;
        return x;
    }

    /// <summary>Threshold t with P(u &lt; t) = keep for u uniform in [0, 2^24).</summary>
    public static uint Threshold(float keep) => (uint)Math.Round(Math.Clamp(keep, 0f, 1f) * (double)(1 << 24));

    // mask[i] = Uniform24(i, key) < threshold ? kept : dropped
    public static void Fill(float[] mask, ulong key, uint threshold, float kept, float dropped, bool vectorize = true)
    {
        uint k0 = (uint)key, k1 = (uint)(key >> 32);
        Par.Elements(mask.Length, new Draws(mask, k0, k1, threshold, kept, dropped, vectorize));
    }

    // Fill over the elements [start, end)
    private readonly struct Draws(float[] mask, uint k0, uint k1, uint threshold, float kept, float dropped, bool vectorize) : IRangeBody
    {
        public void Run(int start, int end)
        {
            int count = end - start;
            var span = mask.AsSpan(start, count);
            int j = 0;
            if (vectorize && Vector.IsHardwareAccelerated && Vector<uint>.Count >= 4)
            {
                int lanes = Vector<uint>.Count;
                var index = Vector<uint>.Indices + new Vector<uint>((uint)start);
                var step = new Vector<uint>((uint)lanes);
                var vk0 = new Vector<uint>(k0);
                var vk1 = new Vector<uint>(k1);
                var vt = new Vector<int>((int)Math.Min(threshold, 1u << 24)); // u < 2^24: a signed compare is the same
                var keptV = new Vector<float>(kept);
                var droppedV = new Vector<float>(dropped);
                ref float m = ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(mask);
                for (; j <= count - lanes; j += lanes, index += step)
                {
                    var u = Vector.AsVectorInt32(Vector.ShiftRightLogical(MixV(MixV(index ^ vk0) + vk1), 8));
                    Vector.ConditionalSelect(Vector.As<int, float>(Vector.LessThan(u, vt)), keptV, droppedV).StoreUnsafe(ref m, (nuint)(start + j));
                }
            }

            for (; j < count; j++) span[j] = Uniform24((uint)(start + j), k0, k1) < threshold ? kept : dropped;
        }
    }

    internal static Vector<uint> MixV(Vector<uint> x)
    {
        x ^= Vector.ShiftRightLogical(x, 16);
        x *= new Vector<uint>(0x7feb352dU);
        x ^= Vector.ShiftRightLogical(x, 15);
        x *= new Vector<uint>(0x846ca68bU);
        x ^= Vector.ShiftRightLogical(x, 16);
        return x;
    }
}
