using Hush.Engine.Layers;

namespace Hush.Engine.Tests;

/// <summary>U-Net building blocks (the Self2Self family uses them): border padding, bilinear ×2, gated and partial
/// convolutions, normal initialisation, dropout. Each is checked against a direct computation written independently
/// here (double accumulation) and against finite differences.</summary>
public class UNetBuildingBlockTests
{
    // Independent index maps (valid for pad < n): PyTorch 'reflect' and numpy 'symmetric'.
    private static int Mirror(int i, int n, PadMode mode) => mode switch
    {
        PadMode.Reflect => i < 0 ? -i : i >= n ? 2 * n - 2 - i : i,
        PadMode.Symmetric => i < 0 ? -i - 1 : i >= n ? 2 * n - 1 - i : i,
        _ => i < 0 || i >= n ? -1 : i,
    };

    private static double At(float[] x, int plane, int h, int w, int i, int j, PadMode mode)
    {
        int si = Mirror(i, h, mode), sj = Mirror(j, w, mode);
        return si < 0 || sj < 0 ? 0.0 : x[plane * h * w + si * w + sj];
    }

    // 'same' k×k convolution, stride 1, border by mode: y[b, o, i, j] = bias[o] + Σ w[o, c, di, dj] x[b, c, i+di-p, j+dj-p]
    private static double[] DirectConv(float[] x, int n, int cin, int h, int w, float[] wt, int cout, int k, float[]? bias, PadMode mode)
    {
        int p = k / 2;
        var y = new double[n * cout * h * w];
        for (int b = 0; b < n; b++)
            for (int o = 0; o < cout; o++)
                for (int i = 0; i < h; i++)
                    for (int j = 0; j < w; j++)
                    {
                        double s = bias?[o] ?? 0.0;
                        for (int c = 0; c < cin; c++)
                            for (int di = 0; di < k; di++)
                                for (int dj = 0; dj < k; dj++)
                                    s += wt[((o * cin + c) * k + di) * k + dj] * At(x, b * cin + c, h, w, i + di - p, j + dj - p, mode);
                        y[((b * cout + o) * h + i) * w + j] = s;
                    }
        return y;
    }

    [Theory]
    [InlineData(PadMode.Reflect, new float[] { 3, 2, 1, 2, 3, 4, 3, 2 })]
    [InlineData(PadMode.Symmetric, new float[] { 2, 1, 1, 2, 3, 4, 4, 3 })]
    [InlineData(PadMode.Zero, new float[] { 0, 0, 1, 2, 3, 4, 0, 0 })]
    public void PadFillsTheBorderLikePyTorchAndNumpy(PadMode mode, float[] expected)
    {
        var y = Ops.Pad2d(Tensor.FromArray([1, 2, 3, 4], 1, 1, 1, 4), 0, 0, 2, 2, mode);
        Assert.Equal(new[] { 1, 1, 1, 8 }, y.Shape);
        Assert.Equal(expected, y.Data);
    }

    [Fact]
    public void ReflectPadWiderThanTheSideKeepsMirroring()
    {
        // [a b c] reflected with period 4: … c b | a b c | b a b c b …
        var y = Ops.Pad2d(Tensor.FromArray([1, 2, 3], 1, 1, 1, 3), 0, 0, 1, 5, PadMode.Reflect);
        Assert.Equal(new float[] { 2, 1, 2, 3, 2, 1, 2, 3, 2 }, y.Data);
        var single = Ops.Pad2d(Tensor.FromArray([7], 1, 1, 1, 1), 2, PadMode.Reflect);
        Assert.All(single.Data, v => Assert.Equal(7f, v));
    }

    [Theory]
    [InlineData(PadMode.Reflect)]
    [InlineData(PadMode.Symmetric)]
    [InlineData(PadMode.Zero)]
    public void PadMatchesADirectMapAndFiniteDifferencesAndAccumulates(PadMode mode)
    {
        var rng = new Rng(11);
        int[] shape = [2, 3, 5, 6];
        var x = Tensor.Parameter(TestUtil.Random(rng, TestUtil.Numel(shape)), shape);
        var y = Ops.Pad2d(x, 1, 3, 2, 4, mode);
        Assert.Equal(new[] { 2, 3, 9, 12 }, y.Shape);
        var expected = new double[y.Length];
        for (int p = 0; p < 6; p++)
            for (int i = 0; i < 9; i++)
                for (int j = 0; j < 12; j++)
                    expected[(p * 9 + i) * 12 + j] = At(x.Data, p, 5, 6, i - 1, j - 2, mode);
        TestUtil.CloseToDouble(expected, y.Data, 0, "pad");
        float[] g = TestUtil.GradCheck(t => Ops.Pad2d(t[0], 1, 3, 2, 4, mode), [x], eps: 1e-2f)[0];
        Ops.Sum(Ops.Pad2d(x, 1, 3, 2, 4, mode)).Backward(); // accumulates onto the GradCheck gradient
        x.ZeroGrad();
        Ops.Sum(Ops.Pad2d(x, 1, 3, 2, 4, mode)).Backward();
        float[] once = (float[])x.Grad!.Clone();
        Ops.Sum(Ops.Pad2d(x, 1, 3, 2, 4, mode)).Backward();
        for (int i = 0; i < once.Length; i++) Assert.Equal(2 * once[i], x.Grad[i]);
        Assert.Equal(g.Length, once.Length);
        // Every padded copy sends its gradient to one source pixel; zeros send none.
        Assert.Equal(mode == PadMode.Zero ? x.Length : (double)y.Length, once.Sum(), 1e-3);
    }

    [Fact]
    public void BilinearMatchesPyTorchsAlignCornersFalseOutput()
    {
        // torch.nn.functional.interpolate(torch.tensor([[[[1., 2.], [3., 4.]]]]), scale_factor=2, mode='bilinear', align_corners=False)
        float[] expected = [1.00f, 1.25f, 1.75f, 2.00f,
                            1.50f, 1.75f, 2.25f, 2.50f,
                            2.50f, 2.75f, 3.25f, 3.50f,
                            3.00f, 3.25f, 3.75f, 4.00f];
        var y = Ops.UpsampleBilinear2x(Tensor.FromArray([1, 2, 3, 4], 1, 1, 2, 2));
        Assert.Equal(new[] { 1, 1, 4, 4 }, y.Shape);
        TestUtil.AssertClose(expected, y.Data, 1e-7, "bilinear 2x2");
    }

    [Theory]
    [InlineData(2, 3, 5, 7)]
    [InlineData(1, 2, 1, 4)] // a single row: every output row copies it
    public void BilinearMatchesTheFormulaInDoubleAndFiniteDifferences(int n, int c, int h, int w)
    {
        var rng = new Rng(12);
        var x = Tensor.Parameter(TestUtil.Random(rng, n * c * h * w), n, c, h, w);
        var y = Ops.UpsampleBilinear2x(x);
        static (int, int, double) Src(int o, int len)
        {
            double s = Math.Max(0.0, (o + 0.5) / 2 - 0.5);
            int i0 = (int)Math.Floor(s);
            return (i0, Math.Min(i0 + 1, len - 1), s - i0);
        }

        var expected = new double[y.Length];
        for (int p = 0; p < n * c; p++)
            for (int a = 0; a < 2 * h; a++)
                for (int b = 0; b < 2 * w; b++)
                {
                    var (r0, r1, lr) = Src(a, h);
                    var (c0, c1, lc) = Src(b, w);
                    double v(int i, int j) => x.Data[(p * h + i) * w + j];
                    expected[(p * 2 * h + a) * 2 * w + b] = (1 - lr) * ((1 - lc) * v(r0, c0) + lc * v(r0, c1)) + lr * ((1 - lc) * v(r1, c0) + lc * v(r1, c1));
                }
        TestUtil.CloseToDouble(expected, y.Data, 1e-6, "bilinear");
        TestUtil.GradCheck(t => Ops.UpsampleBilinear2x(t[0]), [x]);
    }

    [Theory]
    [InlineData(PadMode.Reflect)]
    [InlineData(PadMode.Symmetric)]
    [InlineData(PadMode.Zero)]
    public void PaddedConvolutionEqualsADirectConvolutionOverTheMirroredBorder(PadMode mode)
    {
        var rng = new Rng(13);
        var conv = new PaddedConv2d(3, 5, 3, rng, mode);
        float[] x = TestUtil.Random(rng, 2 * 3 * 6 * 7);
        var y = conv.Forward(Tensor.FromArray(x, 2, 3, 6, 7));
        TestUtil.CloseToDouble(DirectConv(x, 2, 3, 6, 7, conv.Weight.Data, 5, 3, conv.Bias!.Data, mode), y.Data, 1e-5, $"conv {mode}");
        var lrelu = conv.ForwardLeakyRelu(Tensor.FromArray(x, 2, 3, 6, 7), 0.2f);
        TestUtil.AssertClose(y.Data.Select(v => v > 0 ? v : 0.2f * v).ToArray(), lrelu.Data, 1e-6, "fused LeakyRelu");
    }

    [Theory]
    [InlineData(PadMode.Reflect)]
    [InlineData(PadMode.Symmetric)]
    public void MirroredConvolutionOnTheWinogradPathEqualsTheDirectOneAndItsGradientsAgree(PadMode mode)
    {
        // 16 → 16 channels on 34×37: large enough for Winograd, which needs padding 1, so the layer convolves the
        // mirrored input with padding 1 and crops the frame. Against a direct double computation, and its gradients
        // against the unpadded direct path (Pad2d + padding-0 convolution) on the same weights.
        var rng = new Rng(21);
        const int n = 1, c = 16, h = 34, w = 37;
        var conv = new PaddedConv2d(c, c, 3, rng, mode);
        float[] x = TestUtil.Random(rng, n * c * h * w);
        var input = Tensor.Parameter((float[])x.Clone(), n, c, h, w);
        var y = conv.ForwardLeakyRelu(input, 0.2f);
        double[] direct = DirectConv(x, n, c, h, w, conv.Weight.Data, c, 3, conv.Bias!.Data, mode);
        TestUtil.CloseToDouble(direct.Select(v => v > 0 ? v : 0.2 * v).ToArray(), y.Data, 2e-5, $"winograd {mode}");

        float[] r = TestUtil.Random(rng, y.Length);
        Ops.Sum(Ops.Mul(y, Tensor.FromArray(r, y.Shape))).Backward();
        float[] dx = (float[])input.Grad!.Clone(), dw = (float[])conv.Weight.Grad!.Clone(), db = (float[])conv.Bias.Grad!.Clone();

        var input2 = Tensor.Parameter((float[])x.Clone(), n, c, h, w);
        var weight2 = Tensor.Parameter((float[])conv.Weight.Data.Clone(), conv.Weight.Shape);
        var bias2 = Tensor.Parameter((float[])conv.Bias.Data.Clone(), conv.Bias.Shape);
        var y2 = Ops.Conv2dLeakyRelu(Ops.Pad2d(input2, 1, mode), weight2, bias2, 0.2f);
        Ops.Sum(Ops.Mul(y2, Tensor.FromArray(r, y2.Shape))).Backward();
        TestUtil.AssertClose(input2.Grad!, dx, 1e-4, "dX");
        TestUtil.AssertClose(weight2.Grad!, dw, 1e-4, "dW");
        TestUtil.AssertClose(bias2.Grad!, db, 1e-4, "dB");
    }

    [Fact]
    public void GatedConvolutionEqualsItsDirectDefinition()
    {
        var rng = new Rng(14);
        const int n = 2, cin = 3, cout = 4, h = 5, w = 6;
        var gated = new GatedConv2d(cin, cout, rng);
        // Give the biases some values (initialised to 0) so the test sees them.
        for (int i = 0; i < gated.Bias.Length; i++) gated.Bias.Data[i] = rng.Uniform(-0.5f, 0.5f);
        for (int i = 0; i < gated.Weight.Length; i++) gated.Weight.Data[i] *= 20f; // N(0, 0.02) → larger, so both branches matter
        float[] x = TestUtil.Random(rng, n * cin * h * w);
        var y = gated.Forward(Tensor.FromArray(x, n, cin, h, w));

        int half = cout * cin * 9;
        double[] f = DirectConv(x, n, cin, h, w, gated.Weight.Data[..half], cout, 3, gated.Bias.Data[..cout], PadMode.Reflect);
        double[] g = DirectConv(x, n, cin, h, w, gated.Weight.Data[half..], cout, 3, gated.Bias.Data[cout..], PadMode.Reflect);
        double[] expected = f.Select((v, i) => (v > 0 ? v : 0.2 * v) / (1 + Math.Exp(-g[i]))).ToArray();
        Assert.Equal(new[] { n, cout, h, w }, y.Shape);
        TestUtil.CloseToDouble(expected, y.Data, 1e-5, "gated");

        var xt = Tensor.Parameter(TestUtil.AwayFromZero(rng, n * cin * h * w), n, cin, h, w);
        TestUtil.GradCheck(t => gated.Forward(t[0]), [xt, gated.Weight, gated.Bias], eps: 1e-3f); // small step: LeakyReLU kinks
    }

    // Partial convolution written out: S = Σ window mask (mask broadcast over channels when it has one channel).
    private static (double[] Y, double[] Mask) DirectPartial(float[] x, float[] m, int cm, int n, int cin, int h, int w,
        float[] wt, float[] bias, int cout, int k, PadMode mode)
    {
        int p = k / 2;
        var y = new double[n * cout * h * w];
        var upd = new double[n * h * w];
        for (int b = 0; b < n; b++)
            for (int i = 0; i < h; i++)
                for (int j = 0; j < w; j++)
                {
                    double s = 0;
                    for (int c = 0; c < cin; c++)
                        for (int di = 0; di < k; di++)
                            for (int dj = 0; dj < k; dj++)
                                s += At(m, b * cm + (cm == 1 ? 0 : c), h, w, i + di - p, j + dj - p, mode);
                    upd[(b * h + i) * w + j] = Math.Min(s, 1.0);
                    for (int o = 0; o < cout; o++)
                    {
                        double acc = 0;
                        for (int c = 0; c < cin; c++)
                            for (int di = 0; di < k; di++)
                                for (int dj = 0; dj < k; dj++)
                                    acc += wt[((o * cin + c) * k + di) * k + dj]
                                        * At(x, b * cin + c, h, w, i + di - p, j + dj - p, mode)
                                        * At(m, b * cm + (cm == 1 ? 0 : c), h, w, i + di - p, j + dj - p, mode);
                        y[((b * cout + o) * h + i) * w + j] = s > 0 ? acc * (cin * k * k) / s + bias[o] : 0.0;
                    }
                }
        return (y, upd);
    }

    [Theory]
    [InlineData(PadMode.Zero, 3)]
    [InlineData(PadMode.Symmetric, 3)]
    [InlineData(PadMode.Zero, 1)]
    [InlineData(PadMode.Reflect, 1)]
    public void PartialConvolutionEqualsItsDirectDefinition(PadMode mode, int cm)
    {
        var rng = new Rng(15);
        const int n = 2, cin = 3, cout = 4, h = 6, w = 7;
        var pconv = new PartialConv2d(cin, cout, 3, rng, mode);
        for (int i = 0; i < cout; i++) pconv.Bias.Data[i] = rng.Uniform(-0.5f, 0.5f);
        float[] x = TestUtil.Random(rng, n * cin * h * w);
        float[] m = new float[n * cm * h * w];
        for (int i = 0; i < m.Length; i++) m[i] = rng.NextFloat() < 0.6f ? 1f : 0f;
        // A hole bigger than the window in image 0: its centre has S = 0 (output 0, updated mask 0).
        for (int c = 0; c < cm; c++)
            for (int i = 1; i < 5; i++)
                for (int j = 1; j < 5; j++) m[(c * h + i) * w + j] = 0f;
        var y = pconv.Forward(Tensor.FromArray(x, n, cin, h, w), Tensor.FromArray(m, n, cm, h, w), out var newMask);

        var (ey, em) = DirectPartial(x, m, cm, n, cin, h, w, pconv.Weight.Data, pconv.Bias.Data, cout, 3, mode);
        TestUtil.CloseToDouble(ey, y.Data, 1e-5, "partial conv");
        TestUtil.CloseToDouble(em, newMask.Data, 0, "updated mask");
        Assert.Equal(new[] { n, 1, h, w }, newMask.Shape);
        Assert.Equal(0f, newMask.Data[2 * w + 2]);
        Assert.All(Enumerable.Range(0, cout), o => Assert.Equal(0f, y.Data[(o * h + 2) * w + 2]));

        var xt = Tensor.Parameter(TestUtil.AwayFromZero(rng, n * cin * h * w), n, cin, h, w);
        var mt = Tensor.FromArray(m, n, cm, h, w);
        TestUtil.GradCheck(t => pconv.Forward(t[0], mt, out _), [xt, pconv.Weight, pconv.Bias]);
    }

    // A full mask (every layer after a U-Net's first), which ForwardLeakyRelu runs as a plain convolution with bias and
    // activation fused: values against the direct definition, gradients against the composite the general path builds
    // (ratio 1). This checks the result, not which path produced it (that is the speed benchmark's to show).
    [Theory]
    [InlineData(PadMode.Symmetric, 1, 3, 4, 6)]   // few channels
    [InlineData(PadMode.Reflect, 32, 32, 32, 16)] // the mask in every channel
    [InlineData(PadMode.Symmetric, 1, 48, 48, 20)]
    public void PartialConvolutionWithAFullMaskIsThePlainConvolution(PadMode mode, int cm, int cin, int cout, int side)
    {
        var rng = new Rng(21);
        const float slope = 0.1f;
        var pconv = new PartialConv2d(cin, cout, 3, rng, mode);
        for (int i = 0; i < cout; i++) pconv.Bias.Data[i] = rng.Uniform(-0.5f, 0.5f);
        float[] x = TestUtil.Random(rng, cin * side * side), ones = Enumerable.Repeat(1f, cm * side * side).ToArray();
        var xt = Tensor.Parameter(x, 1, cin, side, side);
        var y = pconv.ForwardLeakyRelu(xt, Tensor.FromArray(ones, 1, cm, side, side), slope, out var newMask);

        var (ey, _) = DirectPartial(x, ones, cm, 1, cin, side, side, pconv.Weight.Data, pconv.Bias.Data, cout, 3, mode);
        TestUtil.CloseToDouble(ey.Select(v => v > 0 ? v : slope * v).ToArray(), y.Data, 1e-4, "fused partial conv");
        Assert.Equal(new[] { 1, 1, side, side }, newMask.Shape);
        Assert.All(newMask.Data.AsSpan(0, side * side).ToArray(), v => Assert.Equal(1f, v));

        float[] r = TestUtil.Random(rng, y.Length);
        float[][] Grads(Tensor output)
        {
            foreach (var t in new[] { xt, pconv.Weight, pconv.Bias }) t.ZeroGrad();
            Ops.Sum(Ops.Mul(output, Tensor.FromArray(r, output.Shape))).Backward();
            return [(float[])xt.Grad!.Clone(), (float[])pconv.Weight.Grad!.Clone(), (float[])pconv.Bias.Grad!.Clone()];
        }

        float[][] fused = Grads(y);
        var unit = Tensor.FromArray(Enumerable.Repeat(1f, side * side).ToArray(), 1, 1, side, side);
        float[][] composite = Grads(Ops.LeakyRelu(Ops.Add(Ops.Conv2dSame3x3(xt, pconv.Weight, null, mode), Ops.Conv2d(unit, pconv.Bias)), slope));
        TestUtil.AssertClose(composite[0], fused[0], 1e-5, "dx");
        TestUtil.AssertClose(composite[1], fused[1], 1e-5, "dW");
        TestUtil.AssertClose(composite[2], fused[2], 1e-5, "db");
    }

    [Fact]
    public void NormalInitialisationsHaveTheirStandardDeviationsAndFollowTheSeed()
    {
        var w = Tensor.Parameter(new float[64 * 48 * 9], 64, 48, 3, 3);
        var b = Tensor.Parameter(Enumerable.Repeat(1f, 64).ToArray(), 64);
        WeightInit.Normal(w, b, new Rng(1), 0.02f);
        static (double Mean, double Std) Stats(float[] a)
        {
            double mean = a.Average(v => (double)v);
            return (mean, Math.Sqrt(a.Average(v => (v - mean) * (v - mean))));
        }

        var (mean, std) = Stats(w.Data);
        Assert.InRange(mean, -0.001, 0.001);
        Assert.InRange(std, 0.0195, 0.0205);
        Assert.All(b.Data, v => Assert.Equal(0f, v));
        float[] first = (float[])w.Data.Clone();
        WeightInit.Normal(w, null, new Rng(1), 0.02f);
        Assert.Equal(first, w.Data);

        WeightInit.HeNormal(w, null, new Rng(2));
        (_, std) = Stats(w.Data);
        double he = Math.Sqrt(2.0 / (48 * 9));
        Assert.InRange(std, 0.97 * he, 1.03 * he);
    }

    [Fact]
    public void DropoutStaysActiveWithoutGradAndIsFixedByTheRng()
    {
        var x = Tensor.FromArray(Enumerable.Repeat(1f, 1000).ToArray(), 1000);
        Tensor a, b;
        using (Autograd.NoGrad())
        {
            a = Ops.Dropout(x, 0.4f, new Rng(3));
            b = Ops.Dropout(x, 0.4f, new Rng(3));
        }

        Assert.Contains(0f, a.Data);
        Assert.Equal(a.Data, b.Data);
        Assert.NotEqual(a.Data, Ops.Dropout(x, 0.4f, new Rng(4)).Data);
    }
}
