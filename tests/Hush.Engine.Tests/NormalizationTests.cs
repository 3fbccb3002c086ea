using Hush.Engine.Layers;

namespace Hush.Engine.Tests;

/// <summary>Batch normalisation, per-plane mean and scaling, and the channel attention built from them. Each is checked
/// against a direct computation written here in double and (where it has a gradient) against finite differences.</summary>
public class NormalizationTests
{
    [Theory]
    [InlineData(1, 3, 5, 4)] // one image: statistics over H×W only
    [InlineData(2, 2, 3, 3)] // a batch: over N×H×W
    [InlineData(2, 3, 17, 19)] // planes of several vectors and a tail
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
}
