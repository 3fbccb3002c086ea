using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static Hush.Engine.Kernels.Winograd.WinogradTransforms;

namespace Hush.Engine.Kernels.Winograd;

/// <summary>The stem's first layer: a 3×3 LeakyReLU convolution from an image's few channels, written straight
/// into the second layer's padded channels-last input buffer (no NCHW activation, no transpose).</summary>
internal static unsafe partial class WinogradConv
{
    /// <summary>The stem's first layer: what every padded row needs.</summary>
    private readonly record struct StemFirst(Tiling T, float[] Xp, int C, float[] Wt, int Cp, float[] P1, float Slope);

    // P1 rows r (image, padded row) in [r0, r1): the ring and everything beyond H×W is zero, channels ≥ K1 are zero
    // (their weights and bias are). Vectorised over output channels, 8 pixels at a time for independent FMA chains.
    private readonly struct StemRows<TO, TV>(StemFirst job) : IRangeBody
        where TO : struct, IVecOps<TV>
        where TV : struct
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int r0, int r1)
        {
            Tiling t = job.T;
            int h = t.H, w = t.W, cp = job.Cp, c1 = job.C, s = w + 2, vc = TO.Count;
            nint rowLength = (nint)t.Wp * cp;
            TV slope = TO.Splat(job.Slope);
            fixed (float* xp = job.Xp, wt = job.Wt, p1 = job.P1)
            {
                float* bias = wt + c1 * 9 * cp;
                for (int r = r0; r < r1; r++)
                {
                    int img = r / t.Hp, y = r % t.Hp - 1;
                    float* dr = p1 + r * rowLength;
                    if ((uint)y >= (uint)h)
                    {
                        new Span<float>(dr, (int)rowLength).Clear();
                        continue;
                    }

                    new Span<float>(dr, cp).Clear();
                    new Span<float>(dr + (nint)(w + 1) * cp, (t.Wp - w - 1) * cp).Clear();
                    float* top = xp + ((nint)img * c1 * (h + 2) + y) * s; // xp[img, 0, y, 0]: row y-1 of the image
                    nint planeStride = (nint)(h + 2) * s;
                    for (int kv = 0; kv < cp; kv += vc)
                    {
                        int x = 0;
                        for (; x + 8 <= w; x += 8)
                        {
                            TV b = TO.Load(bias + kv);
                            TV a0 = b, a1 = b, a2 = b, a3 = b, a4 = b, a5 = b, a6 = b, a7 = b;
                            for (int c = 0; c < c1; c++)
                            {
                                for (int i = 0; i < 3; i++)
                                {
                                    float* xr = top + c * planeStride + i * s + x;
                                    float* wr = wt + (nint)((c * 3 + i) * 3) * cp + kv;
                                    for (int j = 0; j < 3; j++)
                                    {
                                        TV wv = TO.Load(wr + j * cp);
                                        a0 = TO.Fma(TO.Splat(xr[j]), wv, a0);
                                        a1 = TO.Fma(TO.Splat(xr[j + 1]), wv, a1);
                                        a2 = TO.Fma(TO.Splat(xr[j + 2]), wv, a2);
                                        a3 = TO.Fma(TO.Splat(xr[j + 3]), wv, a3);
                                        a4 = TO.Fma(TO.Splat(xr[j + 4]), wv, a4);
                                        a5 = TO.Fma(TO.Splat(xr[j + 5]), wv, a5);
                                        a6 = TO.Fma(TO.Splat(xr[j + 6]), wv, a6);
                                        a7 = TO.Fma(TO.Splat(xr[j + 7]), wv, a7);
                                    }
                                }
                            }

                            float* d = dr + (nint)(x + 1) * cp + kv;
                            TO.Store(d, TO.LeakyMask(a0, a0, slope));
                            TO.Store(d + cp, TO.LeakyMask(a1, a1, slope));
                            TO.Store(d + 2 * cp, TO.LeakyMask(a2, a2, slope));
                            TO.Store(d + 3 * cp, TO.LeakyMask(a3, a3, slope));
                            TO.Store(d + 4 * cp, TO.LeakyMask(a4, a4, slope));
                            TO.Store(d + 5 * cp, TO.LeakyMask(a5, a5, slope));
                            TO.Store(d + 6 * cp, TO.LeakyMask(a6, a6, slope));
                            TO.Store(d + 7 * cp, TO.LeakyMask(a7, a7, slope));
                        }

                        for (; x < w; x++)
                        {
                            TV a = TO.Load(bias + kv);
                            for (int c = 0; c < c1; c++)
                            {
                                for (int i = 0; i < 3; i++)
                                {
                                    float* xr = top + c * planeStride + i * s + x;
                                    float* wr = wt + (nint)((c * 3 + i) * 3) * cp + kv;
                                    for (int j = 0; j < 3; j++) a = TO.Fma(TO.Splat(xr[j]), TO.Load(wr + j * cp), a);
                                }
                            }

                            TO.Store(dr + (nint)(x + 1) * cp + kv, TO.LeakyMask(a, a, slope));
                        }
                    }
                }
            }
        }
    }
}
