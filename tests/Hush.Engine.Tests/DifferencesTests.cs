namespace Hush.Engine.Tests;

/// <summary>Forward differences (the image gradient) against their definition in double and finite differences.</summary>
public class DifferencesTests
{
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
}
