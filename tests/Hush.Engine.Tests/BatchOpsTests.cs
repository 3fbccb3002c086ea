using Hush.Engine;

namespace Hush.Engine.Tests;

public class BatchOpsTests
{
    [Fact]
    public void DiagonalPairsStacksAntiDiagonalThenMainDiagonalImagesPerBatchItem()
    {
        var rng = new Rng(3);
        const int n = 2, c = 3, h = 5, w = 7; // odd sides: the last row and column are dropped
        var x = Tensor.FromArray(TestUtil.Random(rng, n * c * h * w), n, c, h, w);
        var y = Ops.DiagonalPairs(x);
        Assert.Equal(new[] { 2 * n, c, h / 2, w / 2 }, y.Shape);
        for (int b = 0; b < n; b++)
        for (int ch = 0; ch < c; ch++)
        for (int i = 0; i < h / 2; i++)
        for (int j = 0; j < w / 2; j++)
        {
            float At(int r, int col) => x.Data[((b * c + ch) * h + r) * w + col];
            float Out(int item) => y.Data[((item * c + ch) * (h / 2) + i) * (w / 2) + j];
            Assert.Equal(0.5f * At(2 * i, 2 * j + 1) + 0.5f * At(2 * i + 1, 2 * j), Out(b));
            Assert.Equal(0.5f * At(2 * i, 2 * j) + 0.5f * At(2 * i + 1, 2 * j + 1), Out(n + b));
        }
    }

    [Fact]
    public void DiagonalPairsGivesTheSameBitsAsTheDepthwiseConvolutionItReplaces()
    {
        var rng = new Rng(4);
        var x = Tensor.FromArray(TestUtil.Random(rng, 3 * 9 * 10), 1, 3, 9, 10);
        float[] anti = Enumerable.Repeat(new[] { 0f, 0.5f, 0.5f, 0f }, 3).SelectMany(v => v).ToArray();
        float[] main = Enumerable.Repeat(new[] { 0.5f, 0f, 0f, 0.5f }, 3).SelectMany(v => v).ToArray();
        var d1 = Ops.Conv2d(x, Tensor.FromArray(anti, 3, 1, 2, 2), null, stride: 2, groups: 3);
        var d2 = Ops.Conv2d(x, Tensor.FromArray(main, 3, 1, 2, 2), null, stride: 2, groups: 3);
        Assert.Equal(d1.Data.Concat(d2.Data).ToArray(), Ops.DiagonalPairs(x).Data);
    }

    [Fact]
    public void DiagonalPairsMatchesFiniteDifferences()
    {
        var rng = new Rng(5);
        var x = Tensor.Parameter(TestUtil.Random(rng, 2 * 2 * 5 * 6), 2, 2, 5, 6);
        TestUtil.GradCheck(t => Ops.DiagonalPairs(t[0]), [x], eps: 1e-3f, samples: 120);
    }

    [Fact]
    public void SliceBatchCopiesItemsAndRoutesTheirGradientBack()
    {
        var x = Tensor.Parameter(Enumerable.Range(0, 3 * 2).Select(i => (float)i).ToArray(), 3, 2);
        var s = Ops.SliceBatch(x, 1, 2);
        Assert.Equal(new[] { 2, 2 }, s.Shape);
        Assert.Equal(new[] { 2f, 3, 4, 5 }, s.Data);
        Ops.Sum(Ops.Scale(s, 2f)).Backward();
        Assert.Equal(new[] { 0f, 0, 2, 2, 2, 2 }, x.Grad);
        Assert.Throws<ArgumentOutOfRangeException>(() => Ops.SliceBatch(x, 2, 2));
    }

    [Fact]
    public void SwapBatchHalvesExchangesTheHalvesAndSoDoesItsGradient()
    {
        var x = Tensor.Parameter([1, 2, 3, 4], 2, 2);
        var y = Ops.SwapBatchHalves(x);
        Assert.Equal(new[] { 3f, 4, 1, 2 }, y.Data);
        Ops.Sum(Ops.Mul(y, Tensor.FromArray([10, 20, 30, 40], 2, 2))).Backward();
        Assert.Equal(new[] { 30f, 40, 10, 20 }, x.Grad);
        Assert.Throws<ArgumentException>(() => Ops.SwapBatchHalves(Tensor.Zeros(3, 2)));
    }
}

public class BernoulliMaskTests
{
    [Theory]
    [InlineData(0.6f, 1000)]
    [InlineData(0.3f, 200_003)] // above the parallel threshold, odd length: vector body, parts and scalar tails
    public void VectorAndParallelFillEqualsTheScalarHashAndKeepsTheRate(float keep, int length)
    {
        var fast = new float[length];
        var plain = new float[length];
        const ulong key = 0x1234_5678_9abc_def0UL;
        uint t = Hush.Engine.Kernels.Bernoulli.Threshold(keep);
        Hush.Engine.Kernels.Bernoulli.Fill(fast, key, t, 2f, 0f);
        Hush.Engine.Kernels.Bernoulli.Fill(plain, key, t, 2f, 0f, vectorize: false);
        for (int i = 0; i < length; i++)
            Assert.Equal(Hush.Engine.Kernels.Bernoulli.Uniform24((uint)i, unchecked((uint)key), (uint)(key >> 32)) < t ? 2f : 0f, fast[i]);
        Assert.Equal(plain, fast);
        double rate = fast.Count(v => v != 0f) / (double)length;
        Assert.InRange(rate, keep - 4 * Math.Sqrt(keep * (1 - keep) / length), keep + 4 * Math.Sqrt(keep * (1 - keep) / length));
    }

    [Fact]
    public void NeighbouringElementsAndKeysAreUncorrelated()
    {
        // Adjacent elements, and the same element under consecutive keys, agree about as often as independent draws.
        const int n = 100_000;
        var a = new float[n];
        var b = new float[n];
        Hush.Engine.Kernels.Bernoulli.Fill(a, 1, Hush.Engine.Kernels.Bernoulli.Threshold(0.5f), 1f, 0f);
        Hush.Engine.Kernels.Bernoulli.Fill(b, 2, Hush.Engine.Kernels.Bernoulli.Threshold(0.5f), 1f, 0f);
        double adjacent = Enumerable.Range(0, n - 1).Count(i => a[i] == a[i + 1]) / (double)(n - 1);
        double acrossKeys = Enumerable.Range(0, n).Count(i => a[i] == b[i]) / (double)n;
        Assert.InRange(adjacent, 0.49, 0.51);
        Assert.InRange(acrossKeys, 0.49, 0.51);
    }
}
