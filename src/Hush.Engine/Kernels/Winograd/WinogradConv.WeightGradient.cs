using System.Runtime.Intrinsics;
using System.Runtime.CompilerServices;
using static Hush.Engine.Kernels.Winograd.WinogradTransforms;

namespace Hush.Engine.Kernels.Winograd;

/// <summary>Backward-weight: dW = Gᵀ (Σ_tiles dM ⊙ V) G from the padded copies of x and dY, and the bias gradient.</summary>
internal static unsafe partial class WinogradConv
{
    // dW[Cout, Cin, 3, 3] += Σ g ⋆ x and dB[Cout] += Σ g from the padded channels-last copies px (x, channel stride cp;
    // needed only with dW) and pdy (g, stride kp), in the transformed domain; with dB alone, summed from pdy directly.
    private static void WeightGradients(Tiling t, int cout, int cin, float[]? px, int cp, float[] pdy, int kp, float[]? dW, float[]? dB,
        SimdLevel level)
    {
        if (dW is null)
        {
            if (dB is not null) BiasFromPadded(pdy, t, cout, kp, dB);
            return;
        }

        var job = new WeightJob(t, px ?? throw new ArgumentNullException(nameof(px)), cp, pdy, kp, Threading.MaxThreads);
        (float[] du, double[] db) = level switch
        {
            SimdLevel.Avx512 => job.Run<Vec512, Vector512<float>>(),
            SimdLevel.Avx2 => job.Run<Vec256, Vector256<float>>(),
            _ => job.Run<VecScalar, float>(),
        };
        FilterGradients(du, cout, cin, dW, kp, cp);
        if (dB is not null)
        {
            for (int k = 0; k < cout; k++) dB[k] += (float)db[k];
        }

        Scratch.Return(du);
    }

    // BiasFromPadded's sums, reused across the calling thread's calls (grown as needed) so a call allocates nothing.
    [ThreadStatic] private static double[]? _biasSums;

    // dB[k] += Σ pdy[.., k] (the zero padding adds nothing), summed in double in a fixed order.
    private static void BiasFromPadded(float[] pdy, Tiling t, int k, int kp, float[] dB)
    {
        double[] sums = _biasSums is { } cached && cached.Length >= k ? cached : _biasSums = new double[k];
        Array.Clear(sums, 0, k);
        long pixels = (long)t.N * t.Hp * t.Wp;
        for (long p = 0; p < pixels; p++)
        {
            for (int c = 0; c < k; c++) sums[c] += pdy[p * kp + c];
        }

        for (int c = 0; c < k; c++) dB[c] += (float)sums[c];
    }

    /// <summary>Weight gradient in the transformed domain: dU[ξ, k, c] = Σ_tiles dM[ξ, t, k] V[ξ, t, c], one partial
    /// per thread, summed in thread order, and the bias gradient Σ dY per channel (float per tile block, then double).
    /// Returns dU [36, K, C] (pooled) and dB in the first K entries of a buffer this thread reuses (read it before the
    /// next weight job). A struct, run through the struct body Part; its per-part buffers are reused across calls.</summary>
    private readonly record struct WeightJob(Tiling T, float[] Px, int C, float[] Pdy, int K, int Parts)
    {
        // The calling thread's per-part dU buffers (rented from Scratch, references dropped after each call) and bias
        // partials [parts, K], grown as needed: a job allocates nothing after the first.
        [ThreadStatic] private static float[]?[]? _partials;
        [ThreadStatic] private static double[]? _biasPartials;

        public (float[] DU, double[] DB) Run<TO, TV>()
            where TO : struct, IVecOps<TV>
            where TV : struct
        {
            int chunks = (T.Tw + WeightBlock - 1) / WeightBlock, blocks = T.N * T.Th * chunks;
            int parts = Math.Clamp(Parts, 1, blocks), size = Positions * K * C;
            float[]?[] partials = _partials is { } p && p.Length >= parts ? p : _partials = new float[]?[parts];
            double[] biasPartials = _biasPartials is { } b && b.Length >= parts * K ? b : _biasPartials = new double[parts * K];
            Par.For(parts, parts, new Part<TO, TV>(this, partials, biasPartials, blocks, chunks, parts, size));

            float[] total = partials[0]!;
            for (int q = 1; q < parts; q++)
            {
                System.Numerics.Tensors.TensorPrimitives.Add(total.AsSpan(0, size), partials[q]!.AsSpan(0, size), total.AsSpan(0, size));
                Scratch.Return(partials[q]!);
                for (int k = 0; k < K; k++) biasPartials[k] += biasPartials[q * K + k];
            }

            Array.Clear(partials, 0, parts);
            return (total, biasPartials);
        }

        // Parts q in [q0, q1): part q accumulates blocks [blocks*q/parts, blocks*(q+1)/parts) into its own dU and bias partial.
        private readonly struct Part<TO, TV>(WeightJob job, float[]?[] partials, double[] biasPartials, int blocks, int chunks, int parts, int size)
            : IRangeBody
            where TO : struct, IVecOps<TV>
            where TV : struct
        {
            public void Run(int q0, int q1)
            {
                for (int q = q0; q < q1; q++)
                {
                    float[] du = Scratch.Rent(size);
                    Array.Clear(du, 0, size);
                    Span<double> db = biasPartials.AsSpan(q * job.K, job.K);
                    db.Clear();
                    job.Accumulate<TO, TV>(du, db, (int)((long)blocks * q / parts), (int)((long)blocks * (q + 1) / parts), chunks);
                    partials[q] = du;
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Accumulate<TO, TV>(float[] duArr, Span<double> db, int b0, int b1, int chunks)
            where TO : struct, IVecOps<TV>
            where TV : struct
        {
            int vc = TO.Count;
            float* blockBias = stackalloc float[K];
            nint vStride = PositionStride(WeightBlock, C), mStride = PositionStride(WeightBlock, K);
            float[] vArr = Scratch.RentLocal(Positions * (int)vStride);
            float[] mArr = Scratch.RentLocal(Positions * (int)mStride);
            float* tmp = stackalloc float[Positions * vc];
            fixed (float* px = Px, pdy = Pdy, du = duArr, v = vArr, dm = mArr)
            {
                nint xRow = (nint)T.Wp * C, gRow = (nint)T.Wp * K;
                for (int b = b0; b < b1; b++)
                {
                    int n = b / (T.Th * chunks), ty = b / chunks % T.Th, tx0 = b % chunks * WeightBlock;
                    int nt = Math.Min(WeightBlock, T.Tw - tx0);
                    new Span<float>(blockBias, K).Clear();
                    for (int t = 0; t < nt; t++)
                    {
                        int tx = tx0 + t;
                        float* patch = px + ((nint)(n * T.Hp + ty * Out) * T.Wp + tx * Out) * C;
                        for (int c0 = 0; c0 < C; c0 += vc)
                            Input<TO, TV>(patch + c0, xRow, C, tmp, v + t * C + c0, vStride);

                        // dY tile: padded rows/cols start at 1; beyond H×W the padding is zero, as it must be.
                        float* g = pdy + ((nint)(n * T.Hp + ty * Out + 1) * T.Wp + tx * Out + 1) * K;
                        for (int k0 = 0; k0 < K; k0 += vc)
                        {
                            OutputAdjoint<TO, TV>(g + k0, gRow, K, tmp, dm + t * K + k0, mStride);
                            TV sum = TO.Load(blockBias + k0);
                            for (int i = 0; i < Out; i++)
                            {
                                for (int j = 0; j < Out; j++) sum = TO.Add(sum, TO.Load(g + k0 + i * gRow + j * K));
                            }

                            TO.Store(blockBias + k0, sum);
                        }
                    }

                    for (int k = 0; k < K; k++) db[k] += blockBias[k];

                    // dU[ξ, k, c] += Σ_t dM[ξ, t, k] V[ξ, t, c]
                    for (int xi = 0; xi < Positions; xi++)
                        WinogradGemm.Gemm<TO, TV>(dm + xi * mStride, 1, K, v + xi * vStride, C, nt, du + (nint)xi * K * C, C, K, C, true);
                }
            }

            Scratch.ReturnLocal(vArr);
            Scratch.ReturnLocal(mArr);
        }
    }
}
