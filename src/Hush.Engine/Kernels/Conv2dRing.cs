namespace Hush.Engine.Kernels;

/// <summary>
/// 3×3, stride-1 convolutions WITHOUT padding (their input was padded beforehand, e.g. reflect-padded by
/// <see cref="Ops.Pad2d(Tensor, int, int, int, int, PadMode)"/> for Self2Self's U-Nets) on the Winograd path: the valid convolution of an H×W input is the
/// inner (H−2)×(W−2) of the same input's padding-1 convolution, so the forward pass runs the padding-1 Winograd
/// kernel into an H×W buffer and drops the outer ring; the backward pass puts dY into an H×W buffer with a zero ring
/// and runs the padding-1 Winograd backward: the ring's zeros contribute nothing, so dX, dW and dB are those of the
/// valid convolution. Exact up to Winograd's float rounding (about 1e-6 relative). The extra work is the ring
/// (2(H+W) of H·W outputs, 3 % at 256² with tile rounding) and one copy each way.
/// </summary>
internal static class Conv2dRing
{
    /// <summary>True when <paramref name="g"/> is an unpadded 3×3 stride-1 convolution whose padding-1 twin
    /// <paramref name="full"/> takes the Winograd path.</summary>
    public static bool Can(in ConvGeometry g, out ConvGeometry full)
    {
        full = g with { Pad = 1, Ho = g.H, Wo = g.W };
        return g.KH == 3 && g.KW == 3 && g.Stride == 1 && g.Pad == 0 && g.Dil == 1 && g.Groups == 1 &&
               Winograd.WinogradConv.Can(full, Simd.Best);
    }

    // y[n, co, i, j] = act(full(x)[n, co, i + 1, j + 1]);  full [N, Cout, H, W], y [N, Cout, H − 2, W − 2]
    public static float[]? Forward(in ConvGeometry g, in ConvGeometry full, float[] y, float[] x, float[] w, float[]? bias,
        float? leaky, bool keepForBackward)
    {
        float[] wide = TensorArena.AllocateOutput(full.OutputLength);
        float[]? saved = Winograd.WinogradConv.Forward(full, wide, x, w, bias, Simd.Best, leaky, keepForBackward);
        Par.For(g.N * g.Cout, new InnerPlanes(y, wide, g.Ho, g.Wo, g.H, g.W));
        TensorArena.Recycle(wide);
        return saved;
    }

    // Forward's copy of the planes p in [p0, p1): y[p] = inner (ho × wo) of wide[p]
    private readonly struct InnerPlanes(float[] y, float[] wide, int ho, int wo, int h, int wi) : IRangeBody
    {
        public void Run(int p0, int p1)
        {
            for (int p = p0; p < p1; p++)
                for (int i = 0; i < ho; i++) Array.Copy(wide, (p * h + i + 1) * wi + 1, y, (p * ho + i) * wo, wo);
        }
    }

    // ring[n, co, i + 1, j + 1] = G[n, co, i, j] with G = dY, or dY ⊙ (y > 0 ? 1 : slope) when y is given; 0 on the ring.
    // Then the padding-1 Winograd backward of full on ring. saved: what Forward returned.
    public static void Backward(in ConvGeometry g, in ConvGeometry full, float[]? dX, float[]? dW, float[]? dB, float[] dY,
        float[] x, float[] w, float[]? y, float slope, float[]? saved)
    {
        float[] ring = TensorArena.Allocate(full.OutputLength); // zeroed
        Par.For(g.N * g.Cout, new RingedPlanes(ring, dY, y, slope, g.Ho, g.Wo, g.H, g.W));
        Winograd.WinogradConv.Backward(full, dX, dW, dB, ring, x, w, Simd.Best, null, 0f, saved);
        TensorArena.Recycle(ring);
    }

    // Backward's copy of the planes p in [p0, p1) into the inner ho × wo of ring[p]
    private readonly struct RingedPlanes(float[] ring, float[] dY, float[]? y, float slope, int ho, int wo, int h, int wi) : IRangeBody
    {
        public void Run(int p0, int p1)
        {
            for (int p = p0; p < p1; p++)
            {
                for (int i = 0; i < ho; i++)
                {
                    int src = (p * ho + i) * wo, dst = (p * h + i + 1) * wi + 1;
                    if (y is null)
                    {
                        Array.Copy(dY, src, ring, dst, wo);
                        continue;
                    }

                    Elementwise.LeakyReluGradientSpan(ring.AsSpan(dst, wo), dY.AsSpan(src, wo), y.AsSpan(src, wo), slope);
                }
            }
        }
    }
}
