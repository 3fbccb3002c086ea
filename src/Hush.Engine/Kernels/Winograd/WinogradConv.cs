using System.Runtime.Intrinsics;
using System.Runtime.CompilerServices;
using static Hush.Engine.Kernels.Winograd.WinogradTransforms;

namespace Hush.Engine.Kernels.Winograd;

/// <summary>
/// 3×3, stride-1, pad-1 convolutions by Winograd F(4×4, 3×3): forward, backward-data (the same algorithm on dY with
/// rotated, transposed filters) and backward-weight (dU = Σ_tiles dM ⊙ V, then dW += Gᵀ dU G). Per 4×4 output tile
/// the 36 transformed positions each become one small GEMM over channels, 4× fewer multiplications than direct
/// convolution (<see cref="DirectFlopsRatio"/>); the transforms cost extra additions and memory passes.
///
/// Data flow of one call: the NCHW input is copied once into a zero-padded channels-last buffer
/// P [N, th*4+2, tw*4+2, C] (so a tile's channel vectors are contiguous and no bounds checks are needed), then
/// blocks of <see cref="TileBlock"/> tiles of one tile row are transformed (V [36, tiles, C]), multiplied with the
/// transformed filters (U [36, C, K]) position by position (M [36, tiles, K]) and transformed back into the NCHW
/// output; V, M and U stay in L2. Blocks are claimed by the threads in chunks (Par.Balanced); every output element is
/// produced by one thread and dW sums per-thread partials in thread order, so results are deterministic for a thread
/// count.
///
/// Precision: F(4×4, 3×3) in float32 differs from direct convolution by about 1e-6 relative to the magnitude of
/// the terms summed (the transforms multiply by at most 8 and divide by 24).
///
/// Files: this one (entry points, tiling, GEMM dispatch), .Padding (the channels-last layout), .TileJob (the tile pass
/// of forward and backward-data), .WeightGradient (backward-weight). ZS-N2N's fused stem adds its parts of this class
/// from src/Hush.Engine/Fused/ConvStem/.
/// </summary>
internal static unsafe partial class WinogradConv
{
    /// <summary>Direct-convolution FLOPs per Winograd GEMM FLOP (144 / 36).</summary>
    public const double DirectFlopsRatio = 4.0;

    // Tiles per block of the tile pass (V, M = 36·TileBlock·C floats each) and of the weight gradient (whose GEMMs sum
    // over the block's tiles, so longer blocks mean fewer read-modify-writes of dU, which spills L2 at 144→96). In
    // `Hush.Bench kernels 256 144 96` at 2 threads, tile blocks of 16 and 32 ran the forward 15–17 % faster than 8
    // (417 → 487 and 480 GFLOP/s) and weight blocks of 64 the weight gradient 12 % faster than 16 (414 → 462; 32 gave
    // 374) on a Zen 4, where 16 and 32 gave the same step. On an Ice Lake Xeon (1.25 MB L2 per core) 32 ran the
    // forward 15–20 % faster than 16 on both instruction sets (AVX-512 369–403 → 410–471, AVX2 307–318 → 365–375) and
    // Self2Self+'s step 8 % faster: each block streams all of U (36·C·K floats, 2 MB at 144→96) from L3, so fewer,
    // longer blocks read it fewer times. 64 gave the same step as 32 with twice the scratch.
    private const int TileBlock = 32;
    private const int WeightBlock = 64;

    // Floats between one transformed position's block of V or M and the next: the block plus one cache line. Unskewed,
    // the 36 positions' blocks lie a multiple of 4 KB apart (32 tiles × 96 channels × 4 B = 12 KB) and fall into one or
    // two L1 sets, so the transforms, which touch all 36 per tile, evict each other's lines.
    private static nint PositionStride(int tiles, int channels) => (nint)tiles * channels + 16;

    /// <summary>Fewest 4×4 output tiles for which the filter transforms (Cin·Cout filters, forward and backward) pay
    /// off: below 32×32 pixels direct convolution is faster.</summary>
    public const int MinTiles = 64;

    public static bool Can(in ConvGeometry g, SimdLevel level)
    {
        int lanes = Lanes(level);
        long tiles = (long)g.N * ((g.H + Out - 1) / Out) * ((g.W + Out - 1) / Out);
        // Channel counts that are not a multiple of the vector width are zero-padded up to one inside the padded
        // buffers and transformed filters (e.g. 99 → 112): the extra work is under 4 × what it saves.
        return g.KH == 3 && g.KW == 3 && g.Stride == 1 && g.Pad == 1 && g.Dil == 1 && g.Groups == 1 &&
               g.Cin >= 16 && g.Cout >= 16 && tiles >= MinTiles && lanes > 0;
    }

    // y[N, Cout, H, W] = act(conv3x3(x[N, Cin, H, W] ⊙ s, w[Cout, Cin, 3, 3]) + bias), act = LeakyReLU(leaky) or identity,
    // s = inputScale (x's shape; e.g. a dropout mask) or 1.
    // Returns the padded copy of x ⊙ s when keepPadded (pass it to Backward as paddedX), else null.
    public static float[]? Forward(in ConvGeometry g, float[] y, float[] x, float[] w, float[]? bias, SimdLevel level, float? leaky = null,
        bool keepPadded = false, float[]? inputScale = null) =>
        Forward(g, y, ChannelParts.Whole(x, g.Cin), w, bias, level, leaky, keepPadded, inputScale);

    // The same with x given as its two channel parts (x.Channels = Cin): the convolution of their concatenation.
    public static float[]? Forward(in ConvGeometry g, float[] y, ChannelParts x, float[] w, float[]? bias, SimdLevel level, float? leaky = null,
        bool keepPadded = false, float[]? inputScale = null)
    {
        CheckParts(x, g.Cin, nameof(x));
        var t = new Tiling(g.N, g.H, g.W);
        int cp = RoundUp(g.Cin, Lanes(level)), kp = RoundUp(g.Cout, Lanes(level));
        float[] p = Padded(x, t, cp, 1, null, 0f, inputScale);
        if (g.Border != PadMode.Zero) FillBorder(p, t, cp, g.Border);
        float[] u = Scratch.Rent(Positions * cp * kp);
        Filters(w, g.Cout, g.Cin, adjoint: false, u, cp, kp);
        Dispatch(level, new TileJob(t, p, cp, u, kp, g.Cout, bias, y, false, leaky));
        Scratch.Return(u);
        if (keepPadded) return p;
        Scratch.Return(p);
        return null;
    }

    // With g = dY, or g = dY ⊙ (y > 0 ? 1 : slope) when the forward pass applied LeakyReLU(slope) and y is its output:
    // dX[N, Cin, H, W] += conv3x3ᵀ(g, w) ⊙ s;  dW[Cout, Cin, 3, 3] += Σ g ⋆ (x ⊙ s);  dB[Cout] += Σ g.   Any target may be
    // null; s = inputScale, as in Forward.
    // paddedX: Forward's padded copy of x ⊙ s, if kept (consumed: returned to the scratch pool here).
    public static void Backward(in ConvGeometry g, float[]? dX, float[]? dW, float[]? dB, float[] dY, float[] x, float[] w,
        SimdLevel level, float[]? y = null, float slope = 0f, float[]? paddedX = null, float[]? inputScale = null) =>
        Backward(g, ChannelParts.Whole(dX, g.Cin), dW, dB, dY, ChannelParts.Whole(x, g.Cin), w, level, y, slope, paddedX, inputScale);

    // The same with x and dX given as their two channel parts (x.Channels = dX.Channels = Cin, split alike); a part of dX
    // that is null gets nothing.
    public static void Backward(in ConvGeometry g, ChannelParts dX, float[]? dW, float[]? dB, float[] dY, ChannelParts x, float[] w,
        SimdLevel level, float[]? y = null, float slope = 0f, float[]? paddedX = null, float[]? inputScale = null)
    {
        CheckParts(x, g.Cin, nameof(x));
        if (dX.CA != x.CA || dX.CB != x.CB) throw new ArgumentException("dX must be split like x.", nameof(dX));
        var t = new Tiling(g.N, g.H, g.W);
        int cp = RoundUp(g.Cin, Lanes(level)), kp = RoundUp(g.Cout, Lanes(level));
        float[] pdy = Padded(dY, t, g.Cout, kp, 1, y, slope); // the activation's gradient is applied here, in the copy
        if (dX.A is not null || dX.B is not null)
        {
            float[] u = Scratch.Rent(Positions * cp * kp);
            Filters(w, g.Cout, g.Cin, adjoint: true, u, kp, cp);
            Dispatch(level, new TileJob(t, pdy, kp, u, cp, g.Cin, null, dX.A, true, null, OutScale: inputScale, YB: dX.B, SplitK: dX.CB > 0 ? dX.CA : 0));
            Scratch.Return(u);
            if (g.Border != PadMode.Zero) FoldBorder(g, t, dX, pdy, kp, w, level, g.Border, inputScale);
        }

        float[]? px = null;
        if (dW is not null && paddedX is null)
        {
            px = Padded(x, t, cp, 1, null, 0f, inputScale);
            if (g.Border != PadMode.Zero) FillBorder(px, t, cp, g.Border);
        }

        WeightGradients(t, g.Cout, g.Cin, px ?? paddedX, cp, pdy, kp, dW, dB, level);
        if ((px ?? paddedX) is { } kept) Scratch.Return(kept);
        Scratch.Return(pdy);
    }

    private static void CheckParts(ChannelParts x, int cin, string name)
    {
        if (x.Channels != cin || x.CA <= 0 || x.CB < 0 || (x.CB > 0) != (x.B is not null && x.A is not null))
            throw new ArgumentException($"The input's parts ({x.CA} + {x.CB} channels) do not make the geometry's {cin}.", name);
    }

    private static int RoundUp(int v, int m) => (v + m - 1) / m * m;

    internal static int Lanes(SimdLevel level) => level switch { SimdLevel.Avx512 => 16, SimdLevel.Avx2 => 8, _ => 1 };

    private static void Dispatch(SimdLevel level, TileJob job)
    {
        switch (level)
        {
            case SimdLevel.Avx512: job.Run<Vec512, Vector512<float>>(); break;
            case SimdLevel.Avx2: job.Run<Vec256, Vector256<float>>(); break;
            default: job.Run<VecScalar, float>(); break;
        }
    }

    /// <summary>Tile grid of an H×W image: th × tw tiles of 4×4 and the padded buffer's Hp × Wp.</summary>
    private readonly record struct Tiling(int N, int H, int W)
    {
        public int Th => (H + Out - 1) / Out;
        public int Tw => (W + Out - 1) / Out;
        public int Hp => Th * Out + 2;
        public int Wp => Tw * Out + 2;
    }
}
