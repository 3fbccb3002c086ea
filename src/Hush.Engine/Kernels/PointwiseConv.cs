using System.Runtime.Intrinsics;
using Hush.Engine.Kernels.Winograd;

namespace Hush.Engine.Kernels;

/// <summary>
/// 1×1, stride-1, unpadded convolutions as matrix products, image by image, on the GEMM micro-kernels Winograd uses
/// (<see cref="WinogradGemm"/>). With P = H·W pixels, x[n] [C, P], W [K, C]:
/// <list type="bullet">
/// <item>forward: y[n] = act(W · x[n] + bias);</item>
/// <item>backward-data: dX[n] += Wᵀ · dY[n];</item>
/// <item>backward-weight: dW += Σ_n dY[n] · x[n]ᵀ (the bias gradient stays with <see cref="Conv2dKernels.BackwardBias"/>).</item>
/// </list>
/// Why not the direct kernel (<see cref="Conv2dFast"/>): one channel's row sits P floats from the next channel's, and at
/// 256² and up P·4 bytes is a multiple of the cache's set stride, so the rows a 1×1 convolution reads together all
/// fall in one cache set; the 128→128 layers of Deep Image Prior ran at 55–100 GFLOP/s on two threads. Here every
/// block of pixels is first copied into a contiguous panel ([C, L] for the products over channels, transposed to
/// [L, C] for the weight gradient), which the micro-kernels then read from L1/L2.
/// The vector width is the caller's <see cref="SimdLevel"/>; the plain twin is ConvReference (tests).
/// </summary>
internal static unsafe class PointwiseConv
{
    // Pixels per packed panel in the forward and backward-data products: 4 column panels of 3 vectors at 16 lanes.
    private const int ColumnBlock = 192;

    // Pixels per transposed block of the weight gradient: each block adds a [K, C] product into its part's partial,
    // so longer blocks mean fewer read-modify-writes of the partial (128×128 floats = 64 KB).
    private const int WeightBlock = 256;

    /// <summary>Whether the weight gradient runs here too: only with at least 8 output and 8 input channels. With fewer
    /// output channels one row per micro-kernel call reads a vector for every product, and the direct kernel was
    /// faster (`Hush.Bench pointwise 256 128 3`: 31 against 21 GFLOP/s on two threads; 32→4 about even); with fewer
    /// input channels there is hardly a product to speed up (a partial convolution's bias multiplies its one-channel
    /// mask), and the direct kernel's summation order is kept.</summary>
    public static bool TakesWeightGradient(in ConvGeometry g) => Can(g) && g.Cout >= 8 && g.Cin >= 8;

    /// <summary>Fewest pixels per image for this path: below one weight block the packing buys nothing, and the 1×1
    /// convolutions on pooled [N, C, 1, 1] features (channel attention) keep the direct kernel's rounding.</summary>
    public const int MinPixels = WeightBlock;

    public static bool Can(in ConvGeometry g) =>
        g.KH == 1 && g.KW == 1 && g.Stride == 1 && g.Pad == 0 && g.Groups == 1 && g.Border == PadMode.Zero &&
        g.H * g.W >= MinPixels;

    // y[N, K, H, W] = act(Σ_c w[K, C] x[N, C, H, W] + bias[K]), act = LeakyReLU(leaky) or identity.
    public static void Forward(in ConvGeometry g, float[] y, float[] x, float[] w, float[]? bias, SimdLevel level, float? leaky = null) =>
        Products(level, new ProductJob(g.N, g.H * g.W, x, g.Cin, y, g.Cout, w, g.Cin, 1, false, bias, leaky));

    // dX[N, C, H, W] += Σ_k w[k, C] dY[N, k, H, W]
    public static void BackwardData(in ConvGeometry g, float[] dX, float[] dY, float[] w, SimdLevel level) =>
        Products(level, new ProductJob(g.N, g.H * g.W, dY, g.Cout, dX, g.Cin, w, 1, g.Cin, true, null, null));

    // dW[K, C] += Σ_(n, p) dY[n, K, p] x[n, C, p]: static parts of the pixels, one [K, Cp] partial each, summed in part
    // order (deterministic for a thread count).
    public static void BackwardWeight(in ConvGeometry g, float[] dW, float[] dY, float[] x, SimdLevel level)
    {
        int lanes = WinogradConv.Lanes(level);
        int cp = (g.Cin + lanes - 1) / lanes * lanes, size = g.Cout * cp, pixels = g.H * g.W;
        int parts = Math.Clamp(Threading.MaxThreads, 1, Math.Max(1, pixels / WeightBlock));
        float[] partials = Scratch.Rent(parts * size);
        Array.Clear(partials, 0, parts * size);
        var job = new WeightJob(g.N, pixels, x, g.Cin, cp, dY, g.Cout, partials, size, parts);
        switch (level)
        {
            case SimdLevel.Avx512: Par.For(parts, parts, new WeightPart<Vec512, Vector512<float>>(job)); break;
            case SimdLevel.Avx2: Par.For(parts, parts, new WeightPart<Vec256, Vector256<float>>(job)); break;
            default: Par.For(parts, parts, new WeightPart<VecScalar, float>(job)); break;
        }

        for (int q = 1; q < parts; q++)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(partials.AsSpan(0, size), partials.AsSpan(q * size, size), partials.AsSpan(0, size));
        }

        for (int k = 0; k < g.Cout; k++)
        {
            for (int c = 0; c < g.Cin; c++) dW[k * g.Cin + c] += partials[k * cp + c];
        }

        Scratch.Return(partials);
    }

    private static void Products(SimdLevel level, ProductJob job)
    {
        int blocks = job.N * ((job.Pixels + ColumnBlock - 1) / ColumnBlock);
        switch (level)
        {
            case SimdLevel.Avx512: Par.Balanced(blocks, new ProductBlocks<Vec512, Vector512<float>>(job)); break;
            case SimdLevel.Avx2: Par.Balanced(blocks, new ProductBlocks<Vec256, Vector256<float>>(job)); break;
            default: Par.Balanced(blocks, new ProductBlocks<VecScalar, float>(job)); break;
        }
    }

    /// <summary>dst[n, r, p] (=|+=) Σ_s a[r·ARow + s·AStep] src[n, s, p] (+ bias[r], then LeakyReLU) for r &lt; DstChannels,
    /// s &lt; SrcChannels.</summary>
    private readonly record struct ProductJob(int N, int Pixels, float[] Src, int SrcChannels, float[] Dst, int DstChannels,
        float[] A, int ARow, int AStep, bool Accumulate, float[]? Bias, float? Leaky);

    // Blocks b in [b0, b1): block b covers image b / perImage, pixels [ColumnBlock·(b % perImage), +ColumnBlock).
    private readonly struct ProductBlocks<TO, TV>(ProductJob job) : IRangeBody
        where TO : struct, IVecOps<TV>
        where TV : struct
    {
        public void Run(int b0, int b1)
        {
            ProductJob j = job;
            int perImage = (j.Pixels + ColumnBlock - 1) / ColumnBlock;
            float[] panel = Scratch.RentLocal(j.SrcChannels * ColumnBlock); // [S, ColumnBlock]
            fixed (float* src = j.Src, dst = j.Dst, a = j.A, pp = panel)
            {
                for (int b = b0; b < b1; b++)
                {
                    int n = b / perImage, col0 = b % perImage * ColumnBlock, len = Math.Min(ColumnBlock, j.Pixels - col0);
                    float* s0 = src + ((long)n * j.SrcChannels * j.Pixels + col0), d0 = dst + ((long)n * j.DstChannels * j.Pixels + col0);
                    for (int s = 0; s < j.SrcChannels; s++)
                        new ReadOnlySpan<float>(s0 + (long)s * j.Pixels, len).CopyTo(new Span<float>(pp + s * ColumnBlock, len));

                    int vectorCols = len / TO.Count * TO.Count;
                    if (vectorCols > 0)
                        WinogradGemm.Gemm<TO, TV>(a, j.ARow, j.AStep, pp, ColumnBlock, j.SrcChannels, d0, j.Pixels, j.DstChannels, vectorCols, j.Accumulate);
                    for (int r = 0; r < j.DstChannels; r++)
                    {
                        float* row = d0 + (long)r * j.Pixels;
                        for (int col = vectorCols; col < len; col++) // the columns left over from whole vectors
                        {
                            float sum = j.Accumulate ? row[col] : 0f;
                            for (int s = 0; s < j.SrcChannels; s++) sum = MathF.FusedMultiplyAdd(a[r * j.ARow + s * j.AStep], pp[s * ColumnBlock + col], sum);
                            row[col] = sum;
                        }

                        if (j.Bias is not null || j.Leaky is not null) Epilogue(new Span<float>(row, len), j.Bias?[r] ?? 0f, j.Leaky);
                    }
                }
            }

            Scratch.ReturnLocal(panel);
        }
    }

    // row = act(row + bias), act = LeakyReLU(leaky) or identity; the rows were just written, so they are in cache.
    private static void Epilogue(Span<float> row, float bias, float? leaky)
    {
        if (bias != 0f) System.Numerics.Tensors.TensorPrimitives.Add(row, bias, row);
        if (leaky is float slope) Elementwise.LeakyReluForwardSpan(row, row, slope);
    }

    private readonly record struct WeightJob(int N, int Pixels, float[] X, int C, int Cp, float[] DY, int K, float[] Partials, int Size, int Parts);

    // Part q in [q0, q1) sums the pixels [Pixels·q/Parts, Pixels·(q+1)/Parts) of every image into its partial [K, Cp].
    private readonly struct WeightPart<TO, TV>(WeightJob job) : IRangeBody
        where TO : struct, IVecOps<TV>
        where TV : struct
    {
        public void Run(int q0, int q1)
        {
            WeightJob j = job;
            float[] xt = Scratch.RentLocal(WeightBlock * j.Cp); // [WeightBlock, Cp]: x's block transposed, channels padded with zeros
            Array.Clear(xt, 0, WeightBlock * j.Cp);
            fixed (float* x = j.X, dy = j.DY, part = j.Partials, t = xt)
            {
                for (int q = q0; q < q1; q++)
                {
                    int p0 = (int)((long)j.Pixels * q / j.Parts), p1 = (int)((long)j.Pixels * (q + 1) / j.Parts);
                    for (int n = 0; n < j.N; n++)
                    {
                        for (int col0 = p0; col0 < p1; col0 += WeightBlock)
                        {
                            int len = Math.Min(WeightBlock, p1 - col0);
                            TransposeBlock(x + ((long)n * j.C * j.Pixels + col0), j.Pixels, j.C, len, t, j.Cp);
                            WinogradGemm.Gemm<TO, TV>(dy + ((long)n * j.K * j.Pixels + col0), j.Pixels, 1, t, j.Cp, len,
                                part + (long)q * j.Size, j.Cp, j.K, j.Cp, true);
                        }
                    }
                }
            }

            Scratch.ReturnLocal(xt);
        }
    }

    // t[l, c] = x[c, l] for c < channels, l < len (x's rows stride apart; t's rows tStride apart): 16×16 blocks, then
    // the ragged edges.
    private static void TransposeBlock(float* x, nint stride, int channels, int len, float* t, nint tStride)
    {
        const int B = Transpose.Block;
        int fullC = channels / B * B, fullL = len / B * B;
        for (int c0 = 0; c0 < fullC; c0 += B)
        {
            for (int l0 = 0; l0 < fullL; l0 += B) Transpose.Block16(x + c0 * stride + l0, stride, t + l0 * tStride + c0, tStride);
            if (fullL < len) Transpose.BlockScalar(x + c0 * stride + fullL, stride, t + fullL * tStride + c0, tStride, B, len - fullL);
        }

        if (fullC < channels) Transpose.BlockScalar(x + fullC * stride, stride, t + fullC, tStride, channels - fullC, len);
    }
}
