using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static Hush.Engine.Kernels.Winograd.WinogradTransforms;

namespace Hush.Engine.Kernels.Winograd;

/// <summary>The stem's first-layer weight and bias gradients from the channels-last G1 and the padded image.</summary>
internal static unsafe partial class WinogradConv
{
    // The calling thread's per-part sums for StemGradients [parts, (C1*9 + 1) * cp] in double, grown as needed.
    [ThreadStatic] private static double[]? _stemPartials;

    // dW1[k, c, i, j] += Σ_(n,y,x) G1[n, y+1, x+1, k] xp[n, c, y+i, x+j],  dB1[k] += Σ G1[n, y+1, x+1, k].
    // Rows are split in static parts; part q sums its rows (float within a row, double across rows) into its own
    // partial, and the partials are added in part order: deterministic for a thread count.
    private static void StemGradients(Tiling t, float[] gp, int cp, float[] xp, int c1, int k1, float[]? dW1, float[]? dB1, SimdLevel level)
    {
        int rows = t.N * t.H, taps = c1 * 9, size = (taps + 1) * cp;
        int parts = Math.Clamp(Threading.MaxThreads, 1, rows);
        double[] partials = PartSums(ref _stemPartials, parts, size);
        var job = new StemGradientJob(t, gp, cp, xp, c1, partials, size, rows, parts);
        switch (level)
        {
            case SimdLevel.Avx512: Par.For(parts, parts, new StemGradientParts<Vec512, Vector512<float>>(job)); break;
            case SimdLevel.Avx2: Par.For(parts, parts, new StemGradientParts<Vec256, Vector256<float>>(job)); break;
            default: Par.For(parts, parts, new StemGradientParts<VecScalar, float>(job)); break;
        }

        AddParts(partials, parts, size);

        for (int k = 0; k < k1; k++)
        {
            if (dW1 is not null)
            {
                for (int tap = 0; tap < taps; tap++) dW1[k * taps + tap] += (float)partials[tap * cp + k];
            }

            if (dB1 is not null) dB1[k] += (float)partials[taps * cp + k];
        }
    }

    private readonly record struct StemGradientJob(Tiling T, float[] Gp, int Cp, float[] Xp, int C, double[] Partials, int Size, int Rows, int Parts);

    private readonly struct StemGradientParts<TO, TV>(StemGradientJob job) : IRangeBody
        where TO : struct, IVecOps<TV>
        where TV : struct
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int q0, int q1)
        {
            Tiling t = job.T;
            int h = t.H, w = t.W, cp = job.Cp, c1 = job.C, s = w + 2, vc = TO.Count, taps = c1 * 9;
            float* sums = stackalloc float[vc];
            fixed (float* gp = job.Gp, xp = job.Xp)
            fixed (double* all = job.Partials)
            {
                for (int q = q0; q < q1; q++)
                {
                    double* partial = all + (nint)q * job.Size;
                    (int r0, int r1) = PartRows(job.Rows, q, job.Parts);
                    for (int r = r0; r < r1; r++)
                    {
                        int img = r / h, y = r % h;
                        float* g = gp + ((nint)(img * t.Hp + y + 1) * t.Wp + 1) * cp; // G1 row y, column 0
                        float* top = xp + ((nint)img * c1 * (h + 2) + y) * s;
                        nint planeStride = (nint)(h + 2) * s;
                        for (int kv = 0; kv < cp; kv += vc)
                        {
                            for (int c = 0; c < c1; c++)
                            {
                                // the 9 taps of input channel c (and, with c = 0, the bias) in one pass over the row
                                float* xr = top + c * planeStride;
                                Taps(g + kv, cp, xr, s, w, c == 0, partial + (nint)c * 9 * cp + kv, partial + (nint)taps * cp + kv, cp, sums);
                            }
                        }
                    }
                }
            }
        }

        // part[(i*3 + j)*cp + l] += Σ_x g[x*cp + l] xr[i*s + x + j] for the 9 offsets (i, j), and with bias
        // biasPart[l] += Σ_x g[x*cp + l]: ten independent FMA chains over one pass of the gradient row.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Taps(float* g, int cp, float* xr, int s, int w, bool bias, double* part, double* biasPart, int partStride, float* sums)
        {
            TV a0 = TO.Zero, a1 = TO.Zero, a2 = TO.Zero, a3 = TO.Zero, a4 = TO.Zero, a5 = TO.Zero, a6 = TO.Zero, a7 = TO.Zero, a8 = TO.Zero, ab = TO.Zero;
            float* r0 = xr, r1 = xr + s, r2 = xr + 2 * s;
            for (int x = 0; x < w; x++)
            {
                TV gv = TO.Load(g + (nint)x * cp);
                a0 = TO.Fma(gv, TO.Splat(r0[x]), a0);
                a1 = TO.Fma(gv, TO.Splat(r0[x + 1]), a1);
                a2 = TO.Fma(gv, TO.Splat(r0[x + 2]), a2);
                a3 = TO.Fma(gv, TO.Splat(r1[x]), a3);
                a4 = TO.Fma(gv, TO.Splat(r1[x + 1]), a4);
                a5 = TO.Fma(gv, TO.Splat(r1[x + 2]), a5);
                a6 = TO.Fma(gv, TO.Splat(r2[x]), a6);
                a7 = TO.Fma(gv, TO.Splat(r2[x + 1]), a7);
                a8 = TO.Fma(gv, TO.Splat(r2[x + 2]), a8);
                if (bias) ab = TO.Add(ab, gv);
            }

            Add(part, a0, sums);
            Add(part + partStride, a1, sums);
            Add(part + 2 * partStride, a2, sums);
            Add(part + 3 * partStride, a3, sums);
            Add(part + 4 * partStride, a4, sums);
            Add(part + 5 * partStride, a5, sums);
            Add(part + 6 * partStride, a6, sums);
            Add(part + 7 * partStride, a7, sums);
            Add(part + 8 * partStride, a8, sums);
            if (bias) Add(biasPart, ab, sums);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Add(double* d, TV v, float* sums)
        {
            TO.Store(sums, v);
            for (int l = 0; l < TO.Count; l++) d[l] += sums[l];
        }
    }
}
