namespace Hush.Engine.Tests;

public class ResampleTests
{
    // The vector path (AVX-512: 16 windows at a time, AVX2: 8) against the scalar rule on rows with a tail, with ties
    // (the first maximum wins) and NaNs (a NaN counts as the maximum; a later NaN replaces an earlier one).
    [Theory]
    [InlineData(6, 70)]
    [InlineData(4, 33)]
    [InlineData(8, 256)]
    public void MaxPoolVectorsMatchTheScalarRuleWithTiesAndNaNs(int h, int w)
    {
        var rng = new Rng(17);
        float[] x = new float[2 * h * w];
        for (int i = 0; i < x.Length; i++)
        {
            float u = rng.NextFloat();
            x[i] = u < 0.3f ? 0.5f : u < 0.33f ? float.NaN : rng.Uniform(-1f, 1f); // many ties at 0.5, some NaNs
        }

        int ho = h / 2, wo = w / 2;
        var y = Ops.MaxPool2d(Tensor.FromArray(x, 1, 2, h, w));
        float[] yRef = new float[2 * ho * wo], argRef = new float[yRef.Length];
        for (int p = 0; p < 2; p++)
            for (int i = 0; i < ho; i++)
                Hush.Engine.Kernels.Resample.MaxPoolScalar(yRef, argRef, x, (p * h + 2 * i) * w, (p * h + 2 * i + 1) * w, (p * ho + i) * wo, 0, wo);
        Assert.Equal(yRef, y.Data);

        // The arguments, through the gradient: it goes to the window position the scalar rule picked.
        var xt = Tensor.Parameter((float[])x.Clone(), 1, 2, h, w);
        Ops.Sum(Ops.MaxPool2d(xt)).Backward();
        float[] gradRef = new float[x.Length];
        for (int p = 0; p < 2; p++)
            for (int i = 0; i < ho; i++)
                for (int j = 0; j < wo; j++)
                {
                    int at = (int)argRef[(p * ho + i) * wo + j];
                    gradRef[(p * h + 2 * i + at / 2) * w + 2 * j + at % 2] += 1f;
                }

        Assert.Equal(gradRef, xt.Grad!);
    }

    [Fact]
    public void MaxPoolPicksTheWindowMaximumAndDropsOddEdges()
    {
        float[] x = [1, 5, 2, 0, 9,
                     3, 4, 8, 7, 9,
                     6, 6, 1, 1, 9];
        var y = Ops.MaxPool2d(Tensor.FromArray(x, 1, 1, 3, 5));
        Assert.Equal(new[] { 1, 1, 1, 2 }, y.Shape);
        Assert.Equal(new[] { 5f, 8f }, y.Data);
    }

    [Fact]
    public void MaxPoolGradientGoesToTheFirstMaximum()
    {
        var x = Tensor.Parameter([2, 2, 2, 2, 0, 1, 3, 3], 1, 2, 2, 2);
        Ops.Sum(Ops.Scale(Ops.MaxPool2d(x), 3f)).Backward();
        Assert.Equal(new[] { 3f, 0, 0, 0, 0, 0, 3f, 0 }, x.Grad);
    }

    [Fact]
    public void MaxPoolMatchesFiniteDifferences()
    {
        var rng = new Rng(2);
        var x = Tensor.Parameter(TestUtil.Random(rng, 2 * 3 * 7 * 6), 2, 3, 7, 6);
        TestUtil.GradCheck(t => Ops.MaxPool2d(t[0]), [x], eps: 1e-3f);
    }

    [Fact]
    public void UpsampleRepeatsEachPixelAndSumsItsGradient()
    {
        var x = Tensor.Parameter([1, 2, 3, 4, 5, 6], 1, 1, 2, 3);
        var y = Ops.UpsampleNearest2x(x);
        Assert.Equal(new[] { 1, 1, 4, 6 }, y.Shape);
        Assert.Equal(new[] { 1f, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 4, 4, 5, 5, 6, 6 }, y.Data);
        var rng = new Rng(3);
        var big = Tensor.Parameter(TestUtil.Random(rng, 2 * 2 * 4 * 5), 2, 2, 4, 5);
        TestUtil.GradCheck(t => Ops.UpsampleNearest2x(t[0]), [big]);
    }
}

public class DropoutTests
{
    [Fact]
    public void KeepsAboutOneMinusPScalesKeptValuesAndRoutesGradientsThroughTheMask()
    {
        var x = Tensor.Parameter(Enumerable.Repeat(2f, 20000).ToArray(), 20000);
        var y = Ops.Dropout(x, 0.3f, new Rng(5));
        int kept = y.Data.Count(v => v != 0f);
        Assert.InRange(kept / 20000.0, 0.68, 0.72);
        Assert.All(y.Data, v => Assert.True(v == 0f || Math.Abs(v - 2f / 0.7f) < 1e-6f));
        Ops.Sum(y).Backward();
        for (int i = 0; i < 20000; i++) Assert.Equal(y.Data[i] / 2f, x.Grad![i], 1e-6f);
        Assert.Equal(y.Data, Ops.Dropout(x, 0.3f, new Rng(5)).Data); // the seed fixes the mask
        Assert.Throws<ArgumentOutOfRangeException>(() => Ops.Dropout(x, 1f, new Rng(1)));
    }
}
