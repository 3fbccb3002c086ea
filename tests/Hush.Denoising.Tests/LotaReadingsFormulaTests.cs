using Hush.Engine;

namespace Hush.Denoising.Tests;

/// <summary>LoTA-N2N's readings of the trace term (docs/methods/lota-n2n.md, "Readings") against hand computations on
/// a tiny input: T12 = ⟨f(y1) − a1, b1 − y2⟩ and T21 = ⟨f(y2) − a2, b2 − y1⟩ with a, b chosen by the trace branch and
/// pairing, and the λ ramp. The default settings must build the same loss as the original formula, bit for bit.</summary>
public class LotaReadingsFormulaTests
{
    private const int C = 3, H = 8, W = 10;

    private static (ZsN2NNetwork Net, Tensor Y, Tensor Y1, Tensor Y2, Tensor P1, Tensor P2) Setup()
    {
        var rng = new Rng(7);
        float[] Values(int n) => Enumerable.Range(0, n).Select(_ => rng.NextFloat()).ToArray();
        var net = new ZsN2NNetwork(C, new Rng(4));
        var y = Tensor.FromArray(Values(C * H * W), 1, C, H, W);
        var pairs = Ops.DiagonalPairs(y); // [y1; y2]
        var y1 = Tensor.FromArray(pairs.Data[..(C * H * W / 4)], 1, C, H / 2, W / 2);
        var y2 = Tensor.FromArray(pairs.Data[(C * H * W / 4)..], 1, C, H / 2, W / 2);
        // Proxies other than the network's outputs, and x̂1 far from x̂2, so every reading gives its own value.
        var p1 = Tensor.FromArray(Values(C * H * W / 4), 1, C, H / 2, W / 2);
        var p2 = Tensor.FromArray(Values(C * H * W / 4).Select(v => 0.5f * v).ToArray(), 1, C, H / 2, W / 2);
        return (net, y, y1, y2, p1, p2);
    }

    /// <summary>Mean over elements of (f − a)(b − t), in double.</summary>
    private static double Trace(float[] f, float[] a, float[] b, float[] t) =>
        f.Select((v, i) => ((double)v - a[i]) * ((double)b[i] - t[i])).Average();

    private static double Loss(LotaN2NOptions options)
    {
        var (net, y, y1, y2, p1, p2) = Setup();
        return LotaN2NMethod.Loss(net, y, y1, y2, p1, p2, options).Item();
    }

    [Theory]
    [InlineData(LotaTraceBranch.Output, LotaTracePairing.Mutual)]
    [InlineData(LotaTraceBranch.Residual, LotaTracePairing.Mutual)]
    [InlineData(LotaTraceBranch.Output, LotaTracePairing.Cross)]
    [InlineData(LotaTraceBranch.Residual, LotaTracePairing.Cross)]
    public void EachReadingIsItsFormula(LotaTraceBranch branch, LotaTracePairing pairing)
    {
        var (net, y, y1, y2, p1, p2) = Setup();
        double zs = ZsN2NLoss.Compute(net, y).Item();
        float[] f1 = net.Denoise(y1).Data, f2 = net.Denoise(y2).Data;
        float[] x1 = p1.Data, x2 = p2.Data;
        // The formulas as the documentation writes them, noise branch in g and n̂ terms: g(z) = z − f(z), n̂ = y − x̂.
        float[] g1 = y1.Data.Zip(f1, (a, b) => a - b).ToArray(), g2 = y2.Data.Zip(f2, (a, b) => a - b).ToArray();
        float[] n1 = y1.Data.Zip(x1, (a, b) => a - b).ToArray(), n2 = y2.Data.Zip(x2, (a, b) => a - b).ToArray();
        float[] zero = new float[n1.Length];
        (double t12, double t21) = (branch, pairing) switch
        {
            (LotaTraceBranch.Output, LotaTracePairing.Mutual) => (Trace(f1, x1, x1, y2.Data), Trace(f2, x2, x2, y1.Data)),
            (LotaTraceBranch.Residual, LotaTracePairing.Mutual) => (Trace(g1, n1, n2, zero), Trace(g2, n2, n1, zero)), // ⟨g(y1) − n̂1, n̂2⟩
            _ => (Trace(f1, x2, x2, y2.Data), Trace(f2, x1, x1, y1.Data)),             // ⟨f(y1) − x̂2, x̂2 − y2⟩
        };
        var options = new LotaN2NOptions { TraceWeight = 4f, PatchSize = 0, TraceBranch = branch, TracePairing = pairing };
        Assert.Equal(zs + 2.0 * (Math.Abs(t12) + Math.Abs(t21)), Loss(options), 5);
        Assert.True(Math.Abs(t12) + Math.Abs(t21) > 1e-3, $"the trace terms {t12}, {t21} are too small to tell readings apart");
    }

    [Fact]
    public void TheReadingsGiveDifferentLossesExceptResidualCrossWhichIsCross()
    {
        double Of(LotaTraceBranch b, LotaTracePairing p) => Loss(new() { TraceWeight = 4f, PatchSize = 2, TraceBranch = b, TracePairing = p });
        double mutual = Of(LotaTraceBranch.Output, LotaTracePairing.Mutual), residual = Of(LotaTraceBranch.Residual, LotaTracePairing.Mutual);
        double cross = Of(LotaTraceBranch.Output, LotaTracePairing.Cross);
        Assert.True(Math.Abs(mutual - residual) > 1e-4 && Math.Abs(mutual - cross) > 1e-4 && Math.Abs(residual - cross) > 1e-4,
            $"mutual {mutual}, residual {residual}, cross {cross}");
        // Under cross pairing the error is already taken about the target's own proxy: the residual branch changes nothing.
        Assert.Equal(cross, Of(LotaTraceBranch.Residual, LotaTracePairing.Cross));
    }

    /// <summary>The literal noise-branch transcription ⟨g(y1) − n̂1, n̂1 − (y1 − y2)⟩ is the output branch's term exactly
    /// (both factors change sign), which is why the residual reading takes the target's own noise estimate instead.</summary>
    [Fact]
    public void TheLiteralNoiseBranchTranscriptionIsTheOutputBranchTerm()
    {
        var (net, _, y1, y2, p1, _) = Setup();
        float[] f1 = net.Denoise(y1).Data;
        float[] g1 = y1.Data.Zip(f1, (a, b) => a - b).ToArray(), n1 = y1.Data.Zip(p1.Data, (a, b) => a - b).ToArray();
        float[] target = y1.Data.Zip(y2.Data, (a, b) => a - b).ToArray(); // the noise branch's target, y1 − y2
        Assert.Equal(Trace(f1, p1.Data, p1.Data, y2.Data), Trace(g1, n1, n1, target), 6);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void TheDefaultsBuildTheOriginalLossBitForBit(int patch)
    {
        var defaults = new LotaN2NOptions { PatchSize = patch };
        Assert.Equal((0, LotaTraceBranch.Output, LotaTracePairing.Mutual, LotaLambdaSchedule.Constant),
            (defaults.ProxyRefresh, defaults.TraceBranch, defaults.TracePairing, defaults.LambdaSchedule));
        var (net, y, y1, y2, p1, p2) = Setup();
        (float Loss, float[] Gradient) Run(Func<Tensor> loss)
        {
            foreach (var p in net.Parameters()) p.ZeroGrad();
            var l = loss();
            l.Backward();
            return (l.Item(), net.Parameters().SelectMany(p => p.Grad!).ToArray());
        }

        var original = Run(() => // the stage-2 loss as it was written before the readings existed
        {
            var zs = ZsN2NLoss.Compute(net, y, out var pairs);
            var t12 = TraceTerm.Magnitude(Ops.SliceBatch(pairs, 0, 1), p1, y2, patch);
            var t21 = TraceTerm.Magnitude(Ops.SliceBatch(pairs, 1, 1), p2, y1, patch);
            return Ops.Add(zs, Ops.Scale(Ops.Add(t12, t21), 0.5f * defaults.TraceWeight));
        });
        var now = Run(() => LotaN2NMethod.Loss(net, y, y1, y2, p1, p2, defaults, defaults.TraceWeightAt(3)));
        Assert.Equal(original.Loss, now.Loss);
        Assert.Equal(original.Gradient, now.Gradient);
    }

    [Fact]
    public void TheRampGrowsLambdaLinearlyFromZeroToLambdaOverStageTwo()
    {
        var ramp = new LotaN2NOptions { TraceWeight = 10f, FineTuneIterations = 5, LambdaSchedule = LotaLambdaSchedule.Ramp };
        Assert.Equal(new[] { 0f, 2.5f, 5f, 7.5f, 10f }, Enumerable.Range(0, 5).Select(ramp.TraceWeightAt));
        Assert.Equal(10f, (ramp with { FineTuneIterations = 1 }).TraceWeightAt(0)); // one step: λ
        var constant = ramp with { LambdaSchedule = LotaLambdaSchedule.Constant };
        Assert.All(Enumerable.Range(0, 5), k => Assert.Equal(10f, constant.TraceWeightAt(k)));

        // The weight reaches the loss: at λ_k the trace part is λ_k/λ of the full one.
        var (net, y, y1, y2, p1, p2) = Setup();
        var global = ramp with { PatchSize = 0 };
        double zs = LotaN2NMethod.Loss(net, y, y1, y2, p1, p2, global, global.TraceWeightAt(0)).Item();
        double full = LotaN2NMethod.Loss(net, y, y1, y2, p1, p2, global, global.TraceWeightAt(4)).Item();
        double half = LotaN2NMethod.Loss(net, y, y1, y2, p1, p2, global, global.TraceWeightAt(2)).Item();
        Assert.Equal(ZsN2NLoss.Compute(net, y).Item(), zs, 6);
        Assert.True(full - zs > 1e-3, $"trace part {full - zs}");
        Assert.Equal((full - zs) / 2, half - zs, 5);
    }

    [Fact]
    public void ASeparateNoiseProxyEntersOnlyTheNoiseFactor()
    {
        // |⟨f − a, b − t⟩| over 2×2 windows, by hand, against TraceTerm.Magnitude(f, a, b, t, 2).
        const int c = 2, h = 4, w = 6;
        var rng = new Rng(9);
        float[] R() => Enumerable.Range(0, c * h * w).Select(_ => rng.NextFloat() * 2f - 1f).ToArray();
        float[] f = R(), a = R(), b = R(), t = R();
        var windows = new List<double>();
        for (int i = 0; i < h; i += 2)
            for (int j = 0; j < w; j += 2)
            {
                double s = 0;
                for (int ch = 0; ch < c; ch++)
                    for (int di = 0; di < 2; di++)
                        for (int dj = 0; dj < 2; dj++)
                        {
                            int k = (ch * h + i + di) * w + j + dj;
                            s += ((double)f[k] - a[k]) * ((double)b[k] - t[k]);
                        }
                windows.Add(Math.Abs(s / (c * 4)));
            }

        Tensor T(float[] v) => Tensor.FromArray(v, 1, c, h, w);
        Assert.Equal(windows.Average(), TraceTerm.Magnitude(T(f), T(a), T(b), T(t), 2).Item(), 5);
    }
}
