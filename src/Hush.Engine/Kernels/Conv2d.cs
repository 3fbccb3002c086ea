using System.Numerics.Tensors;

namespace Hush.Engine.Kernels;

/// <summary>Shapes of one 2-D convolution (PyTorch semantics: zero padding, floor output size); a 'same' 3×3 one on
/// the Winograd path may have a mirrored <see cref="Border"/> instead of zeros (Kernels/Winograd/WinogradConv.Border).</summary>
internal readonly record struct ConvGeometry(
    int N, int Cin, int H, int W, int Cout, int KH, int KW, int Stride, int Pad, int Dil, int Groups, int Ho, int Wo,
    PadMode Border = PadMode.Zero)
{
    public int CinG => Cin / Groups;

    public int CoutG => Cout / Groups;

    public int OutputLength => N * Cout * Ho * Wo;

    // True when every dimension after the first is 1 (a loop: Create runs every step and must not allocate).
    private static bool TrailingOnes(int[] shape)
    {
        for (int i = 1; i < shape.Length; i++)
            if (shape[i] != 1) return false;
        return true;
    }

    public static ConvGeometry Create(ReadOnlySpan<int> xShape, int[] wShape, int[]? biasShape, int stride, int padding, int dilation, int groups)
    {
        if (xShape.Length != 4) throw new ArgumentException($"Conv2d input must be 4-D [N, Cin, H, W], got [{string.Join(", ", xShape.ToArray())}].");
        if (wShape.Length != 4) throw new ArgumentException($"Conv2d weight must be 4-D [Cout, Cin/groups, kh, kw], got [{string.Join(", ", wShape)}].");
        if (stride < 1 || dilation < 1 || groups < 1 || padding < 0)
            throw new ArgumentException($"Conv2d needs stride >= 1, dilation >= 1, groups >= 1, padding >= 0 (got {stride}, {dilation}, {groups}, {padding}).");
        int n = xShape[0], cin = xShape[1], h = xShape[2], w = xShape[3];
        int cout = wShape[0], kh = wShape[2], kw = wShape[3];
        if (cin % groups != 0 || cout % groups != 0)
            throw new ArgumentException($"Conv2d channels ({cin} in, {cout} out) must be divisible by groups ({groups}).");
        if (wShape[1] != cin / groups)
            throw new ArgumentException($"Conv2d weight has {wShape[1]} input channels per group, input has {cin}/{groups}.");
        // [Cout] or [Cout, 1, 1, 1] (a 1×1 convolution's weight used as a bias, as PartialConv2d's is): one value per
        // output channel either way.
        if (biasShape is not null && (biasShape.Length == 0 || biasShape[0] != cout || !TrailingOnes(biasShape)))
            throw new ArgumentException($"Conv2d bias must be [{cout}] (or [{cout}, 1, 1, 1]), got [{string.Join(", ", biasShape)}].");
        int spanH = h + 2 * padding - dilation * (kh - 1) - 1;
        int spanW = w + 2 * padding - dilation * (kw - 1) - 1;
        if (kh < 1 || kw < 1 || spanH < 0 || spanW < 0)
            throw new ArgumentException($"Conv2d kernel {kh}x{kw} (dilation {dilation}) does not fit the padded {h}x{w} input (padding {padding}).");
        return new ConvGeometry(n, cin, h, w, cout, kh, kw, stride, padding, dilation, groups, spanH / stride + 1, spanW / stride + 1);
    }
}

/// <summary>
/// Conv2d forward and backward kernels. Dispatches to <see cref="Winograd.WinogradConv"/> for 3×3 stride-1 pad-1
/// convolutions with channel counts that fill vectors (and, through <see cref="Conv2dRing"/>, for unpadded 3×3
/// stride-1 ones on pre-padded inputs), to <see cref="PointwiseConv"/> for unpadded 1×1 ones, to
/// <see cref="Conv2dFast"/> for other stride-1, groups-1 ones,
/// otherwise runs the general path below (any stride / padding / dilation / groups).
/// Shapes: x [N, Cin, H, W], w [Cout, Cin/groups, KH, KW], bias [Cout], y [N, Cout, Ho, Wo].
/// Backward kernels ACCUMULATE (+=) into dX, dW, dB.
/// Every output element is produced by one thread with the summation order (ci, i, j): deterministic.
/// </summary>
internal static class Conv2dKernels
{
    // y[N, Cout, Ho, Wo] = conv(x[N, Cin, H, W], w[Cout, Cin/g, KH, KW]) + bias[Cout]
    // Returns what the backward pass can reuse when <paramref name="keepForBackward"/> (the Winograd path's padded
    // copy of x, from the kernel scratch pool), else null.
    // inputScale (x's shape, e.g. a dropout mask; Winograd path only): convolve x ⊙ inputScale.
    public static float[]? Forward(in ConvGeometry g, float[] y, float[] x, float[] w, float[]? bias, float? leaky = null,
        bool keepForBackward = false, float[]? inputScale = null)
    {
        if (Winograd.WinogradConv.Can(g, Simd.Best)) // activation fused into the epilogue
            return Winograd.WinogradConv.Forward(g, y, x, w, bias, Simd.Best, leaky, keepForBackward, inputScale);
        if (g.Border != PadMode.Zero || inputScale is not null)
            throw new InvalidOperationException("A mirrored border or an input scale needs the Winograd path (see Ops.Conv2dSame3x3).");
        if (Conv2dRing.Can(g, out var full)) // unpadded 3×3 on a pre-padded input: Winograd with the ring dropped
            return Conv2dRing.Forward(g, full, y, x, w, bias, leaky, keepForBackward);
        if (PointwiseConv.Can(g))
        {
            PointwiseConv.Forward(g, y, x, w, bias, Simd.Best, leaky);
            return null;
        }

        if (Conv2dFast.CanForward(g))
        {
            Conv2dFast.Forward(g, y, x, w, bias, leaky: leaky);
            return null;
        }

        ForwardGeneral(g, y, x, w, bias);
        if (leaky is float slope) Elementwise.LeakyReluForward(y, y, slope);
        return null;
    }

    // With G = dY, or G = dY ⊙ (y > 0 ? 1 : slope) when the forward applied LeakyReLU(slope) and y is its output:
    // dX += conv_transpose(G, w), dW += Σ G ⋆ x, dB += Σ G, for whichever targets are not null.
    // The Winograd path applies the mask while copying dY into its padded buffer and shares that copy.
    // saved: what Forward returned (consumed here).
    public static void Backward(in ConvGeometry g, float[]? dX, float[]? dW, float[]? dB, float[] dY, float[] x, float[] w,
        float[]? y = null, float slope = 0f, float[]? saved = null, float[]? inputScale = null)
    {
        if (Winograd.WinogradConv.Can(g, Simd.Best))
        {
            Winograd.WinogradConv.Backward(g, dX, dW, dB, dY, x, w, Simd.Best, y, slope, saved, inputScale);
            return;
        }

        if (Conv2dRing.Can(g, out var full))
        {
            Conv2dRing.Backward(g, full, dX, dW, dB, dY, x, w, y, slope, saved);
            return;
        }

        float[] grad = dY;
        if (y is not null)
        {
            grad = TensorArena.AllocateOutput(dY.Length);
            Elementwise.LeakyReluGradient(grad, dY, y, slope);
        }

        if (dX is not null) BackwardData(g, dX, grad, w);
        if (dW is not null) BackwardWeight(g, dW, grad, x);
        if (dB is not null) BackwardBias(g, dB, grad);
        if (y is not null) TensorArena.Recycle(grad);
    }

    // dX[N, Cin, H, W] += conv_transpose(dY[N, Cout, Ho, Wo], w[Cout, Cin/g, KH, KW])
    public static void BackwardData(in ConvGeometry g, float[] dX, float[] dY, float[] w)
    {
        if (PointwiseConv.Can(g)) PointwiseConv.BackwardData(g, dX, dY, w, Simd.Best);
        else if (Conv2dFast.CanBackwardData(g)) Conv2dFast.BackwardData(g, dX, dY, w);
        else BackwardDataGeneral(g, dX, dY, w);
    }

    // dW[Cout, Cin/g, KH, KW] += sum_(n, oy, ox) dY[n, co, oy, ox] * x[n, ci, oy*s - p + i*d, ox*s - p + j*d]
    public static void BackwardWeight(in ConvGeometry g, float[] dW, float[] dY, float[] x)
    {
        if (PointwiseConv.TakesWeightGradient(g)) PointwiseConv.BackwardWeight(g, dW, dY, x, Simd.Best);
        else if (Conv2dFast.CanForward(g)) Conv2dFast.BackwardWeight(g, dW, dY, x);
        else BackwardWeightGeneral(g, dW, dY, x);
    }

    // dB[Cout] += sum_(n, oy, ox) dY[n, co, oy, ox]       (parallel over co; order: n, then plane sum)
    public static void BackwardBias(in ConvGeometry g, float[] dB, float[] dY)
    {
        Par.Balanced(g.Cout, new BiasSums(g, dB, dY));
    }

    // BackwardBias over the output channels co in [co0, co1)
    private readonly struct BiasSums(ConvGeometry c, float[] dB, float[] dY) : IRangeBody
    {
        public void Run(int co0, int co1)
        {
            int plane = c.Ho * c.Wo;
            for (int co = co0; co < co1; co++)
            {
                double total = 0;
                for (int n = 0; n < c.N; n++) total += TensorPrimitives.Sum(dY.AsSpan((n * c.Cout + co) * plane, plane));
                dB[co] += (float)total;
            }
        }
    }

    // General forward: parallel over output planes (n, co).
    public static void ForwardGeneral(in ConvGeometry g, float[] y, float[] x, float[] w, float[]? bias)
    {
        Par.For(g.N * g.Cout, new ForwardPlanes(g, y, x, w, bias));
    }

    // ForwardGeneral over the output planes (n, co) in [p0, p1)
    private readonly struct ForwardPlanes(ConvGeometry c, float[] y, float[] x, float[] w, float[]? bias) : IRangeBody
    {
        public void Run(int p0, int p1)
        {
            int outPlane = c.Ho * c.Wo, inPlane = c.H * c.W;
            for (int item = p0; item < p1; item++)
            {
                int n = item / c.Cout, co = item % c.Cout, group = co / c.CoutG;
                Span<float> yp = y.AsSpan(item * outPlane, outPlane); // y[n, co, :, :]
                yp.Clear();
                for (int cig = 0; cig < c.CinG; cig++)
                {
                    ReadOnlySpan<float> xp = x.AsSpan((n * c.Cin + group * c.CinG + cig) * inPlane, inPlane); // x[n, ci, :, :]
                    for (int i = 0; i < c.KH; i++)
                    {
                        for (int j = 0; j < c.KW; j++)
                        {
                            float wv = w[((co * c.CinG + cig) * c.KH + i) * c.KW + j];
                            (int ox0, int ox1) = ValidRange(c.Wo, c.W, c.Stride, j * c.Dil - c.Pad);
                            for (int oy = 0; oy < c.Ho; oy++)
                            {
                                int iy = oy * c.Stride - c.Pad + i * c.Dil;
                                if ((uint)iy >= (uint)c.H) continue;
                                int xo = iy * c.W - c.Pad + j * c.Dil, yo = oy * c.Wo;
                                for (int ox = ox0; ox < ox1; ox++) yp[yo + ox] += wv * xp[xo + ox * c.Stride];
                            }
                        }
                    }
                }

                if (bias is not null) TensorPrimitives.Add(yp, bias[co], yp);
            }
        }
    }

    // General backward-data: parallel over input planes (n, ci); each dX element is owned by one thread.
    public static void BackwardDataGeneral(in ConvGeometry g, float[] dX, float[] dY, float[] w)
    {
        Par.For(g.N * g.Cin, new BackwardDataPlanes(g, dX, dY, w));
    }

    // BackwardDataGeneral over the input planes (n, ci) in [p0, p1)
    private readonly struct BackwardDataPlanes(ConvGeometry c, float[] dX, float[] dY, float[] w) : IRangeBody
    {
        public void Run(int p0, int p1)
        {
            int outPlane = c.Ho * c.Wo, inPlane = c.H * c.W;
            for (int item = p0; item < p1; item++)
            {
                int n = item / c.Cin, ci = item % c.Cin, group = ci / c.CinG, cig = ci % c.CinG;
                Span<float> dxp = dX.AsSpan(item * inPlane, inPlane); // dX[n, ci, :, :]
                for (int cog = 0; cog < c.CoutG; cog++)
                {
                    int co = group * c.CoutG + cog;
                    ReadOnlySpan<float> dyp = dY.AsSpan((n * c.Cout + co) * outPlane, outPlane); // dY[n, co, :, :]
                    for (int i = 0; i < c.KH; i++)
                    {
                        for (int j = 0; j < c.KW; j++)
                        {
                            float wv = w[((co * c.CinG + cig) * c.KH + i) * c.KW + j];
                            (int ox0, int ox1) = ValidRange(c.Wo, c.W, c.Stride, j * c.Dil - c.Pad);
                            for (int oy = 0; oy < c.Ho; oy++)
                            {
                                int iy = oy * c.Stride - c.Pad + i * c.Dil;
                                if ((uint)iy >= (uint)c.H) continue;
                                int xo = iy * c.W - c.Pad + j * c.Dil, yo = oy * c.Wo;
                                for (int ox = ox0; ox < ox1; ox++) dxp[xo + ox * c.Stride] += wv * dyp[yo + ox];
                            }
                        }
                    }
                }
            }
        }
    }

    // General backward-weight: parallel over co; each dW[co, :, :, :] is owned by one thread (double accumulator).
    public static void BackwardWeightGeneral(in ConvGeometry g, float[] dW, float[] dY, float[] x)
    {
        Par.For(g.Cout, new BackwardWeightChannels(g, dW, dY, x));
    }

    // BackwardWeightGeneral over the output channels co in [co0, co1)
    private readonly struct BackwardWeightChannels(ConvGeometry c, float[] dW, float[] dY, float[] x) : IRangeBody
    {
        public void Run(int co0, int co1)
        {
            int outPlane = c.Ho * c.Wo, inPlane = c.H * c.W;
            for (int co = co0; co < co1; co++)
            {
                int group = co / c.CoutG;
                for (int cig = 0; cig < c.CinG; cig++)
                {
                    int ci = group * c.CinG + cig;
                    for (int i = 0; i < c.KH; i++)
                    {
                        for (int j = 0; j < c.KW; j++)
                        {
                            (int ox0, int ox1) = ValidRange(c.Wo, c.W, c.Stride, j * c.Dil - c.Pad);
                            double acc = 0;
                            for (int n = 0; n < c.N; n++)
                            {
                                ReadOnlySpan<float> dyp = dY.AsSpan((n * c.Cout + co) * outPlane, outPlane);
                                ReadOnlySpan<float> xp = x.AsSpan((n * c.Cin + ci) * inPlane, inPlane);
                                for (int oy = 0; oy < c.Ho; oy++)
                                {
                                    int iy = oy * c.Stride - c.Pad + i * c.Dil;
                                    if ((uint)iy >= (uint)c.H) continue;
                                    int xo = iy * c.W - c.Pad + j * c.Dil, yo = oy * c.Wo;
                                    float row = 0f;
                                    for (int ox = ox0; ox < ox1; ox++) row += dyp[yo + ox] * xp[xo + ox * c.Stride];
                                    acc += row;
                                }
                            }

                            dW[((co * c.CinG + cig) * c.KH + i) * c.KW + j] += (float)acc;
                        }
                    }
                }
            }
        }
    }

    // Output columns ox in [lo, hi) whose input column ox*stride + offset lies in [0, width).
    private static (int Lo, int Hi) ValidRange(int outWidth, int width, int stride, int offset)
    {
        int lo = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
        int last = width - 1 - offset; // need ox*stride <= last
        int hi = last < 0 ? 0 : Math.Min(outWidth, last / stride + 1);
        return (lo, Math.Max(lo, hi));
    }
}
