using Hush.Engine.Layers;

namespace Hush.Engine.Tests;

/// <summary>Blind2Grad's engine additions: batch normalisation, per-plane mean and scaling, channel attention, forward
/// differences and T-standout. Each is checked against a direct computation written here in double and (where it has
/// a gradient) against finite differences.</summary>
public class Blind2GradOpsTests
{
    [Theory]
    [InlineData(1, 3, 5, 4)] // one image: statistics over H×W only
    [InlineData(2, 2, 3, 3)] // a batch: over N×H×W
    public void BatchNormMatchesTheFormulaInDoubleAndFiniteDifferences(int n, int c, int h, int w)
    {
        var rng = new Rng(21);
        var x = Tensor.Parameter(TestUtil.Random(rng, n * c * h * w, -2f, 3f), n, c, h, w);
        var gamma = Tensor.Parameter(TestUtil.Random(rng, c, 0.5f, 1.5f), c);
        var beta = Tensor.Parameter(TestUtil.Random(rng, c), c);
        const float eps = 1e-5f;
        var y = Ops.BatchNorm2d(x, gamma, beta, eps);

        var expected = new double[x.Length];
        int plane = h * w;
        for (int ch = 0; ch < c; ch++)
        {
            var idx = Enumerable.Range(0, n).SelectMany(b => Enumerable.Range((b * c + ch) * plane, plane)).ToArray();
            double mean = idx.Average(i => (double)x.Data[i]);
            double variance = idx.Average(i => (x.Data[i] - mean) * (x.Data[i] - mean)); // biased, as PyTorch normalises
            foreach (int i in idx) expected[i] = gamma.Data[ch] * (x.Data[i] - mean) / Math.Sqrt(variance + eps) + beta.Data[ch];
        }
        TestUtil.CloseToDouble(expected, y.Data, 1e-5, "batch norm");

        // Per channel the output has mean β and (for γ = 1) unit variance, whatever x was.
        TestUtil.GradCheck(t => Ops.BatchNorm2d(t[0], t[1], t[2], eps), [x, gamma, beta], eps: 1e-2f);
    }

    [Fact]
    public void BatchNormLayerStartsAsAPlainStandardisation()
    {
        var bn = new BatchNorm2d(2);
        Assert.Equal(new float[] { 1, 1 }, bn.Gamma.Data);
        Assert.Equal(new float[] { 0, 0 }, bn.Beta.Data);
        var y = bn.Forward(Tensor.FromArray([1, 2, 3, 4, 10, 10, 10, 10], 1, 2, 2, 2));
        double s = Math.Sqrt(1.25 + 1e-5);
        TestUtil.CloseToDouble([-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s, 0, 0, 0, 0], y.Data, 1e-6, "standardised");
    }

    [Fact]
    public void GlobalAvgPoolAndScaleChannelsMatchDirectSumsAndFiniteDifferences()
    {
        var rng = new Rng(22);
        var x = Tensor.Parameter(TestUtil.Random(rng, 2 * 3 * 4 * 5), 2, 3, 4, 5);
        var s = Tensor.Parameter(TestUtil.Random(rng, 6), 2, 3, 1, 1);
        var mean = Ops.GlobalAvgPool2d(x);
        Assert.Equal(new[] { 2, 3, 1, 1 }, mean.Shape);
        TestUtil.CloseToDouble(Enumerable.Range(0, 6).Select(p => Enumerable.Range(p * 20, 20).Average(i => (double)x.Data[i])).ToArray(), mean.Data, 1e-6, "mean");
        var scaled = Ops.ScaleChannels(x, s);
        TestUtil.CloseToDouble(Enumerable.Range(0, x.Length).Select(i => (double)x.Data[i] * s.Data[i / 20]).ToArray(), scaled.Data, 1e-6, "scale");
        TestUtil.GradCheck(t => Ops.GlobalAvgPool2d(t[0]), [x]);
        TestUtil.GradCheck(t => Ops.ScaleChannels(t[0], t[1]), [x, s]);
        Assert.Throws<ArgumentException>(() => Ops.ScaleChannels(x, Tensor.FromArray(new float[3], 1, 3, 1, 1)));
    }

    [Fact]
    public void ChannelAttentionIsTheSqueezeAndExcitationFormula()
    {
        var rng = new Rng(23);
        var ca = new ChannelAttention(6, 4, new Rng(5), 0.1f); // hidden = ⌈6/4⌉ = 2
        var x = Tensor.Parameter(TestUtil.Random(rng, 6 * 3 * 4), 1, 6, 3, 4);
        var p = ca.Parameters().ToArray(); // W_I [2, 6, 1, 1], b_I [2], W_II [6, 2, 1, 1], b_II [6]
        Assert.Equal(new[] { 12, 2, 12, 6 }, p.Select(t => t.Length));
        var gap = Enumerable.Range(0, 6).Select(c => Enumerable.Range(c * 12, 12).Average(i => (double)x.Data[i])).ToArray();
        var hidden = Enumerable.Range(0, 2).Select(o =>
        {
            double v = p[1].Data[o] + Enumerable.Range(0, 6).Sum(c => p[0].Data[o * 6 + c] * gap[c]);
            return v > 0 ? v : 0.1 * v;
        }).ToArray();
        var gate = Enumerable.Range(0, 6).Select(c => 1 / (1 + Math.Exp(-(p[3].Data[c] + p[2].Data[c * 2] * hidden[0] + p[2].Data[c * 2 + 1] * hidden[1])))).ToArray();
        TestUtil.CloseToDouble(Enumerable.Range(0, x.Length).Select(i => x.Data[i] * gate[i / 12]).ToArray(), ca.Forward(x).Data, 1e-5, "SE");
        TestUtil.GradCheck(t => ca.Forward(t[0]), [x]);
        TestUtil.GradCheck(t => ca.Forward(x), p); // the weights get their gradients through the gate
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ForwardDifferencesMatchTheDefinitionAndFiniteDifferences(bool horizontal)
    {
        var rng = new Rng(24);
        int h = 4, w = 5;
        var x = Tensor.Parameter(TestUtil.Random(rng, 2 * h * w), 1, 2, h, w);
        var y = Ops.ForwardDifference(x, horizontal);
        var expected = new double[x.Length];
        for (int p = 0; p < 2; p++)
            for (int i = 0; i < h; i++)
                for (int j = 0; j < w; j++)
                {
                    int k = (p * h + i) * w + j;
                    if (horizontal && j < w - 1) expected[k] = (double)x.Data[k + 1] - x.Data[k];
                    if (!horizontal && i < h - 1) expected[k] = (double)x.Data[k + w] - x.Data[k];
                }
        TestUtil.CloseToDouble(expected, y.Data, 1e-6, "difference");
        TestUtil.GradCheck(t => Ops.ForwardDifference(t[0], horizontal), [x]);
        // A constant image has no gradient.
        Assert.All(Ops.ForwardDifference(Tensor.FromArray(Enumerable.Repeat(0.3f, 12).ToArray(), 1, 1, 3, 4), horizontal).Data, v => Assert.Equal(0f, v));
    }

    /// <summary>An image with a vertical edge: its units next to the edge have gradient magnitude 1, the flat ones 0.</summary>
    private static Tensor Edge(int h, int w, int planes)
    {
        var data = new float[planes * h * w];
        for (int k = 0; k < data.Length; k++) data[k] = (k % w) >= w / 2 ? 1f : 0f;
        return Tensor.Parameter(data, 1, planes, h, w);
    }

    [Theory]
    [InlineData(StandoutScale.Absolute, 0.5f)]
    [InlineData(StandoutScale.RelativeToPlaneMax, 0.5f)]
    public void StandoutKeepsTheUnitsAtTheThresholdAndFindsThemByTheGradientMagnitude(StandoutScale scale, float threshold)
    {
        var rng = new Rng(25);
        var x = Tensor.FromArray(TestUtil.Random(rng, 3 * 6 * 7), 1, 3, 6, 7);
        float[] keep = Ops.StandoutKeep(x, threshold, scale);
        for (int p = 0; p < 3; p++)
        {
            var m = new double[42];
            for (int i = 0; i < 6; i++)
                for (int j = 0; j < 7; j++)
                {
                    int k = p * 42 + i * 7 + j;
                    double dx = j < 6 ? x.Data[k + 1] - x.Data[k] : 0, dy = i < 5 ? x.Data[k + 7] - x.Data[k] : 0;
                    m[i * 7 + j] = Math.Sqrt(dx * dx + dy * dy);
                }
            double limit = scale == StandoutScale.Absolute ? threshold : threshold * m.Max();
            for (int k = 0; k < 42; k++)
                if (Math.Abs(m[k] - limit) > 1e-5) Assert.Equal(m[k] >= limit ? 1f : 0f, keep[p * 42 + k]);
        }
    }

    [Fact]
    public void StandoutNeverDropsTheUnitsItMustKeepAndDropsTheOthersAtTheRate()
    {
        const float p = 0.4f;
        var x = Edge(64, 64, 4);
        float[] keep = Ops.StandoutKeep(x, 0.5f, StandoutScale.Absolute);
        int mustKeep = (int)keep.Sum();
        Assert.Equal(4 * 64, mustKeep); // the column left of the edge, in every plane
        var y = Ops.Standout(x, p, 0.5f, StandoutScale.Absolute, new Rng(3));
        // Units next to the edge: always there, unscaled. The rest: zeroed with probability p, else scaled by 1/(1 − p).
        int free = 0, dropped = 0;
        var ones = Tensor.FromArray(Enumerable.Repeat(1f, x.Length).ToArray(), x.Shape);
        var mask = Ops.Standout(ones, p, 0.5f, StandoutScale.Absolute, new Rng(3)); // constant input: nothing is protected
        Assert.True(mask.Data.All(v => v == 0f || Math.Abs(v - 1 / (1 - p)) < 1e-6));
        for (int k = 0; k < x.Length; k++)
        {
            if (keep[k] == 1f)
            {
                Assert.Equal(x.Data[k], y.Data[k]);
                continue;
            }
            free++;
            // Same seed, same draws whatever the data: x's free units follow the constant input's mask.
            Assert.Equal(x.Data[k] * mask.Data[k], y.Data[k], 6);
            dropped += mask.Data[k] == 0f ? 1 : 0;
        }
        Assert.InRange(dropped / (double)free, p - 0.02, p + 0.02); // 16,128 draws: 3 σ ≈ 0.012

        // The gradient is the mask: 1 on the kept units, 0 or 1/(1 − p) elsewhere.
        Ops.Sum(Ops.Standout(x, p, 0.5f, StandoutScale.Absolute, new Rng(3))).Backward();
        for (int k = 0; k < x.Length; k++) Assert.Equal(keep[k] == 1f ? 1f : mask.Data[k], x.Grad![k], 6);
        Assert.Throws<ArgumentOutOfRangeException>(() => Ops.Standout(x, 1f, 0.5f, StandoutScale.Absolute, new Rng(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Ops.StandoutKeep(x, -1f, StandoutScale.Absolute));
    }
}
