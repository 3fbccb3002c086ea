using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static Hush.Engine.Kernels.Winograd.WinogradTransforms;

namespace Hush.Engine.Kernels.Winograd;

/// <summary>The backward pass of the stem's 1×1 head: the head's gradients and the stem's masked output gradient in
/// one pass over the channels-last stem output, written in Winograd's padded layout.</summary>
internal static unsafe partial class WinogradConv
{
    // The calling thread's per-part sums for HeadGradient [parts, K3*K + K3] in double, grown as needed.
    [ThreadStatic] private static double[]? _headPartials;

    // pdy [N, Hp, Wp, K] (pooled) = (w3ᵀ dY3) ⊙ (y2 > 0 ? 1 : slope) in Winograd's padded channels-last layout:
    // pdy[n, y+1, x+1, c] = (Σ_o w3[o, c] dY3[n, o, y, x]) ⊙ mask(y2[n, y, x, c]), the ring and everything beyond H×W
    // zero; and the head's gradients dW3[o, c] += Σ_p dY3[n, o, p] y2[n, p, c], dB3[o] += Σ_p dY3[n, o, p], from the
    // same reads. y2 [N, H, W, K] channels-last (K a whole number of vectors). Image rows are split in static parts,
    // each summing into its own partial (float within a row, double across rows), added in part order: deterministic
    // for a thread count.
    private static float[] HeadGradient(Tiling t, float[] dY3, int k3, float[] w3, float[] y2, int k, float slope, float[]? dW3, float[]? dB3,
        SimdLevel level)
    {
        float[] dst = Scratch.Rent(t.N * t.Hp * t.Wp * k);
        int rows = t.N * t.H, parts = Math.Clamp(Threading.MaxThreads, 1, rows), size = k3 * k + k3;
        double[] partials = PartSums(ref _headPartials, parts, size);
        var job = new HeadGradientJob(t, dY3, k3, w3, y2, k, slope, dst, partials, size, rows, parts);
        switch (level)
        {
            case SimdLevel.Avx512: Par.For(parts, parts, new HeadGradientParts<Vec512, Vector512<float>>(job)); break;
            case SimdLevel.Avx2: Par.For(parts, parts, new HeadGradientParts<Vec256, Vector256<float>>(job)); break;
            default: Par.For(parts, parts, new HeadGradientParts<VecScalar, float>(job)); break;
        }

        AddParts(partials, parts, size);

        if (dW3 is not null)
        {
            for (int i = 0; i < k3 * k; i++) dW3[i] += (float)partials[i];
        }

        if (dB3 is not null)
        {
            for (int o = 0; o < k3; o++) dB3[o] += (float)partials[k3 * k + o];
        }

        return dst;
    }

    private readonly record struct HeadGradientJob(Tiling T, float[] DY3, int K3, float[] W3, float[] Y2, int K, float Slope, float[] Dst,
        double[] Partials, int Size, int Rows, int Parts);

    private readonly struct HeadGradientParts<TO, TV>(HeadGradientJob job) : IRangeBody
        where TO : struct, IVecOps<TV>
        where TV : struct
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int q0, int q1)
        {
            Tiling t = job.T;
            int h = t.H, w = t.W, k = job.K, k3 = job.K3, vc = TO.Count;
            nint plane = (nint)h * w, rowLength = (nint)t.Wp * k;
            TV slope = TO.Splat(job.Slope);
            float* acc = stackalloc float[job.Size]; // this row's sums: dW3 [K3, K], then dB3 [K3]
            float* d = stackalloc float[k3];
            fixed (float* dy = job.DY3, w3 = job.W3, y2 = job.Y2, dst = job.Dst)
            fixed (double* all = job.Partials)
            {
                for (int q = q0; q < q1; q++)
                {
                    double* partial = all + (nint)q * job.Size;
                    (int r0, int r1) = PartRows(job.Rows, q, job.Parts);
                    for (int r = r0; r < r1; r++)
                    {
                        int img = r / h, y = r % h;
                        float* padded = dst + (nint)img * t.Hp * rowLength; // this image's padded rows
                        if (y == 0) new Span<float>(padded, (int)rowLength).Clear(); // the ring's top row
                        if (y == h - 1)
                        {
                            for (int pr = h + 1; pr < t.Hp; pr++) new Span<float>(padded + pr * rowLength, (int)rowLength).Clear();
                        }

                        float* dr = padded + (y + 1) * rowLength;
                        new Span<float>(dr, k).Clear();
                        new Span<float>(dr + (nint)(w + 1) * k, (t.Wp - w - 1) * k).Clear();
                        new Span<float>(acc, job.Size).Clear();
                        float* g = dy + (nint)img * k3 * plane + (nint)y * w; // dY3[img, 0, y, 0]
                        float* m = y2 + ((nint)img * plane + (nint)y * w) * k; // y2[img, y, 0, 0]
                        for (int x = 0; x < w; x++)
                        {
                            for (int o = 0; o < k3; o++)
                            {
                                d[o] = g[o * plane + x];
                                acc[k3 * k + o] += d[o];
                            }

                            float* mx = m + (nint)x * k, out_ = dr + (nint)(x + 1) * k;
                            for (int kv = 0; kv < k; kv += vc)
                            {
                                TV mv = TO.Load(mx + kv), v = TO.Zero;
                                for (int o = 0; o < k3; o++)
                                {
                                    TV dv = TO.Splat(d[o]);
                                    v = TO.Fma(dv, TO.Load(w3 + o * k + kv), v);
                                    float* a = acc + o * k + kv;
                                    TO.Store(a, TO.Fma(dv, mv, TO.Load(a)));
                                }

                                TO.Store(out_ + kv, TO.LeakyMask(v, mv, slope));
                            }
                        }

                        for (int i = 0; i < job.Size; i++) partial[i] += acc[i];
                    }
                }
            }
        }
    }
}
