using Hush.Engine;
using Hush.Engine.Layers;

namespace Hush.Engine.Tests;

public class LayerTests
{
    private static Conv2d[] ZsN2N(int c, ulong seed)
    {
        var rng = new Rng(seed);
        return [new Conv2d(c, 48, 3, rng, padding: 1), new Conv2d(48, 48, 3, rng, padding: 1), new Conv2d(48, c, 1, rng)];
    }

    [Theory]
    [InlineData(3, 22275)]
    [InlineData(1, 21313)]
    public void ZsN2NParameterCount(int c, int expected) => Assert.Equal(expected, ZsN2N(c, 1).Sum(l => l.ParameterCount));

    [Fact]
    public void InitIsPyTorchDefaultAndSeeded()
    {
        var conv = new Conv2d(48, 48, 3, new Rng(5), padding: 1);
        float bound = 1f / MathF.Sqrt(48 * 9);
        Assert.All(conv.Weight.Data, v => Assert.InRange(v, -bound, bound));
        Assert.All(conv.Bias!.Data, v => Assert.InRange(v, -bound, bound));
        Assert.True(conv.Weight.Data.Max() > 0.9f * bound && conv.Weight.Data.Min() < -0.9f * bound);
        Assert.Equal([48, 48, 3, 3], conv.Weight.Shape);
        Assert.True(conv.Weight.RequiresGrad && conv.Bias.RequiresGrad);

        // weights drawn first, then bias, in row-major order
        var rng = new Rng(5);
        float[] expected = Enumerable.Range(0, 48 * 48 * 9 + 48).Select(_ => rng.Uniform(-bound, bound)).ToArray();
        Assert.Equal(expected[..(48 * 48 * 9)], conv.Weight.Data);
        Assert.Equal(expected[(48 * 48 * 9)..], conv.Bias.Data);

        Assert.Equal(ZsN2N(3, 9)[1].Weight.Data, ZsN2N(3, 9)[1].Weight.Data);
        Assert.NotEqual(ZsN2N(3, 9)[1].Weight.Data, ZsN2N(3, 10)[1].Weight.Data);

        var dw = new Conv2d(3, 3, 2, new Rng(1), stride: 2, groups: 3, bias: false);
        Assert.Null(dw.Bias);
        Assert.Equal([3, 1, 2, 2], dw.Weight.Shape);
        Assert.All(dw.Weight.Data, v => Assert.InRange(v, -0.5f, 0.5f)); // fan_in = 4
        Assert.Equal(12, dw.ParameterCount);
    }
}
