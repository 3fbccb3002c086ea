using Hush.Engine;

namespace Hush.Denoising.Tests;

/// <summary>LoTA-N2N's stage-2 loss against a direct computation: the ZS-N2N loss plus λ·½(|T12| + |T21|) with
/// T12 = ⟨f(y1) − x̂1, x̂1 − y2⟩ (the first sub-image's error against the second's noise) and T21 its mirror. Fails if
/// the trace term is dropped, if its weight is not λ/2, or if the pairing is swapped (y1 against x̂1).</summary>
public class LotaStageTwoTests
{
    private const int C = 3, H = 8, W = 10;

    private static (ZsN2NNetwork Net, Tensor Y, Tensor Y1, Tensor Y2, Tensor P1, Tensor P2) Setup()
    {
        var rng = new Rng(5);
        float[] Values(int n) => Enumerable.Range(0, n).Select(_ => rng.NextFloat()).ToArray();
        var net = new ZsN2NNetwork(C, new Rng(3));
        var y = Tensor.FromArray(Values(C * H * W), 1, C, H, W);
        var pairs = Ops.DiagonalPairs(y); // [y1; y2]
        var y1 = Tensor.FromArray(pairs.Data[..(C * H * W / 4)], 1, C, H / 2, W / 2);
        var y2 = Tensor.FromArray(pairs.Data[(C * H * W / 4)..], 1, C, H / 2, W / 2);
        // Proxies other than the network's own outputs, so that both traces are far from zero.
        var p1 = Tensor.FromArray(Values(C * H * W / 4), 1, C, H / 2, W / 2);
        var p2 = Tensor.FromArray(Values(C * H * W / 4), 1, C, H / 2, W / 2);
        return (net, y, y1, y2, p1, p2);
    }

    /// <summary>Mean over elements of (f − x̂)(x̂ − t), in double.</summary>
    private static double Trace(float[] f, float[] proxy, float[] target) =>
        f.Select((v, i) => ((double)v - proxy[i]) * ((double)proxy[i] - target[i])).Average();

    private static (double ZsN2N, double T12, double T21, double Swapped) Direct()
    {
        var (net, y, y1, y2, p1, p2) = Setup();
        double zs = ZsN2NLoss.Compute(net, y).Item();
        float[] f1 = net.Denoise(y1).Data, f2 = net.Denoise(y2).Data;
        double t12 = Trace(f1, p1.Data, y2.Data), t21 = Trace(f2, p2.Data, y1.Data);
        double swapped = Math.Abs(Trace(f1, p1.Data, y1.Data)) + Math.Abs(Trace(f2, p2.Data, y2.Data));
        return (zs, t12, t21, swapped);
    }

    [Theory]
    [InlineData(10f)]
    [InlineData(0.5f)]
    public void TheLossIsZsN2NPlusHalfLambdaTimesBothCrossTraces(float lambda)
    {
        var (net, y, y1, y2, p1, p2) = Setup();
        var (zs, t12, t21, swapped) = Direct();
        double got = LotaN2NMethod.Loss(net, y, y1, y2, p1, p2, new LotaN2NOptions { TraceWeight = lambda, PatchSize = 0 }).Item();
        double expected = zs + 0.5 * lambda * (Math.Abs(t12) + Math.Abs(t21));
        Assert.Equal(expected, got, 5);

        // The test can tell: the term is not negligible, and a swapped pairing would give another value.
        Assert.True(0.5 * lambda * (Math.Abs(t12) + Math.Abs(t21)) > 1e-3, $"trace term {t12}, {t21}");
        Assert.True(Math.Abs(0.5 * lambda * swapped - 0.5 * lambda * (Math.Abs(t12) + Math.Abs(t21))) > 1e-3);
    }

    [Fact]
    public void WithoutTheTraceWeightTheLossIsZsN2Ns()
    {
        var (net, y, y1, y2, p1, p2) = Setup();
        Assert.Equal(Direct().ZsN2N, LotaN2NMethod.Loss(net, y, y1, y2, p1, p2, new LotaN2NOptions { TraceWeight = 0 }).Item(), 6);
    }

    [Fact]
    public void TheGradientReachesTheNetworkThroughTheTraceTerm()
    {
        var (net, y, y1, y2, p1, p2) = Setup();
        float[] Gradient(float lambda)
        {
            foreach (var p in net.Parameters()) p.ZeroGrad();
            LotaN2NMethod.Loss(net, y, y1, y2, p1, p2, new LotaN2NOptions { TraceWeight = lambda, PatchSize = 0 }).Backward();
            return net.Parameters().SelectMany(p => p.Grad!).ToArray();
        }

        float[] without = Gradient(0f), with = Gradient(10f);
        Assert.True(with.Zip(without, (a, b) => Math.Abs(a - b)).Max() > 1e-4);
    }
}
