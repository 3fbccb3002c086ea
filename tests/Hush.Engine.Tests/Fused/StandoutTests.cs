using Hush.Engine.Fused;

namespace Hush.Engine.Tests.Fused;

/// <summary>T-standout: its keep decision against the gradient magnitude computed here in double, its drop rate and
/// gradient, and the fused op against the plain composition it replaces (<see cref="FusedOps.StandoutComposed"/>).</summary>
public class StandoutTests
{
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
        float[] keep = FusedOps.StandoutKeep(x, threshold, scale);
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
        float[] keep = FusedOps.StandoutKeep(x, 0.5f, StandoutScale.Absolute);
        int mustKeep = (int)keep.Sum();
        Assert.Equal(4 * 64, mustKeep); // the column left of the edge, in every plane
        var y = FusedOps.Standout(x, p, 0.5f, StandoutScale.Absolute, new Rng(3));
        // Units next to the edge: always there, unscaled. The rest: zeroed with probability p, else scaled by 1/(1 − p).
        int free = 0, dropped = 0;
        var ones = Tensor.FromArray(Enumerable.Repeat(1f, x.Length).ToArray(), x.Shape);
        var mask = FusedOps.Standout(ones, p, 0.5f, StandoutScale.Absolute, new Rng(3)); // constant input: nothing is protected
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
        Ops.Sum(FusedOps.Standout(x, p, 0.5f, StandoutScale.Absolute, new Rng(3))).Backward();
        for (int k = 0; k < x.Length; k++) Assert.Equal(keep[k] == 1f ? 1f : mask.Data[k], x.Grad![k], 6);
        Assert.Throws<ArgumentOutOfRangeException>(() => FusedOps.Standout(x, 1f, 0.5f, StandoutScale.Absolute, new Rng(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => FusedOps.StandoutKeep(x, -1f, StandoutScale.Absolute));
    }

    // Widths: 37 leaves a scalar tail after every vector width; 64 is whole vectors, the last of each row without a
    // right neighbour; 16 and 8 are one AVX-512 or AVX2 vector (the row is only that last vector) and, on the wider
    // path, narrower than a vector (scalar). The strong edges sit in a row's last columns, where that vector ends.
    [Theory]
    [InlineData(StandoutScale.Absolute, 0.5f, 1, 37)]
    [InlineData(StandoutScale.RelativeToPlaneMax, 0.3f, 1, 37)]
    [InlineData(StandoutScale.RelativeToPlaneMax, 0.3f, 2, 37)]
    [InlineData(StandoutScale.RelativeToPlaneMax, 0.3f, 2, 64)]
    [InlineData(StandoutScale.Absolute, 0.5f, 1, 64)]
    [InlineData(StandoutScale.RelativeToPlaneMax, 0.3f, 1, 16)]
    [InlineData(StandoutScale.RelativeToPlaneMax, 0.3f, 1, 8)]
    public void StandoutEqualsItsComposition(StandoutScale scale, float threshold, int threads, int w)
    {
        using var context = TestUtil.Threads(threads);
        (float[] Y, float[] DX) Run(bool fused)
        {
            var x = Tensor.Parameter(TestUtil.Random(new Rng(26), 2 * 3 * 19 * w), 2, 3, 19, w);
            x.Data[5 * w] = 4f; // one strong edge: relative thresholds keep few units of that plane
            x.Data[19 * w + 7 * w + w - 1] = 5f; // the next plane's strongest edge in a row's last column (dx 0 there)
            x.Data[2 * 19 * w + 3 * w + w - 2] = -6f; // and one just before it (a large dx in the row's last vector)
            var rng = new Rng(8);
            Tensor y = fused ? FusedOps.Standout(x, 0.3f, threshold, scale, rng) : FusedOps.StandoutComposed(x, 0.3f, threshold, scale, rng);
            Ops.Sum(Ops.Mul(y, Tensor.FromArray(TestUtil.Random(new Rng(4), x.Length), x.Shape))).Backward();
            return (y.Data, x.Grad!);
        }

        var f = Run(fused: true);
        var c = Run(fused: false);
        Assert.Equal(c.Y, f.Y); // exactly: every unit takes one term of the composition, the other is 0
        Assert.Equal(c.DX, f.DX);
        Assert.Contains(f.Y, v => v == 0f); // some units were dropped
    }

    /// <summary>The one-pass multipliers against the keep decision and the dropout draws made separately (the passes
    /// the fused kernel replaced), on a tensor large enough to split across threads, with a width that leaves a scalar
    /// tail after every vector width, one flat plane (relative: keeps nothing; absolute at 0: keeps everything) and a
    /// plane whose largest magnitude sits in the scalar tail.</summary>
    [Theory]
    [InlineData(StandoutScale.RelativeToPlaneMax, 0.25f, 1)]
    [InlineData(StandoutScale.RelativeToPlaneMax, 0.25f, 2)]
    [InlineData(StandoutScale.Absolute, 0.4f, 2)]
    [InlineData(StandoutScale.Absolute, 0f, 2)]
    public void StandoutMaskIsTheKeepDecisionOverTheDropoutDraws(StandoutScale scale, float threshold, int threads)
    {
        using var context = TestUtil.Threads(threads);
        const int planes = 5, h = 131, w = 103;
        var x = Tensor.FromArray(TestUtil.Random(new Rng(27), planes * h * w), 1, planes, h, w);
        Array.Fill(x.Data, 0.5f, 2 * h * w, h * w); // plane 2 is flat
        x.Data[3 * h * w + 40 * w + w - 2] = 9f; // plane 3's strongest edge is in the last columns
        float[] keep = FusedOps.StandoutKeep(x, threshold, scale);
        float[] drawn = Ops.DropoutMask(x, 0.3f, new Rng(9));
        float[] mask = FusedOps.StandoutMask(x, 0.3f, threshold, scale, new Rng(9));
        for (int k = 0; k < mask.Length; k++) Assert.Equal(keep[k] == 1f ? 1f : drawn[k], mask[k]);
        float[] flat = mask[(2 * h * w)..(3 * h * w)];
        if (scale == StandoutScale.RelativeToPlaneMax) Assert.DoesNotContain(1f, flat); // keeps nothing: dropout's 0 or 1/0.7
        else if (threshold == 0f) Assert.All(mask, m => Assert.Equal(1f, m));
        Assert.InRange(keep.Count(v => v == 1f), 1, mask.Length - (threshold == 0f ? 0 : 1)); // both decisions occur
    }

    [Theory]
    [InlineData(64)]
    [InlineData(37)]
    public void APlaneWithANaNKeepsNothingAsTheCompositionDoes(int w)
    {
        var x = Tensor.FromArray(TestUtil.Random(new Rng(3), 2 * 12 * w), 1, 2, 12, w);
        x.Data[12 * w + 5 * w + w - 3] = float.NaN; // plane 1, inside a row's last vector or its scalar tail
        float[] mask = FusedOps.StandoutMask(x, 0.3f, 0.3f, StandoutScale.RelativeToPlaneMax, new Rng(8));
        var composed = FusedOps.StandoutComposed(x, 0.3f, 0.3f, StandoutScale.RelativeToPlaneMax, new Rng(8));
        Assert.DoesNotContain(1f, mask[(12 * w)..]); // the relative limit is +∞: only draws
        Assert.Contains(1f, mask[..(12 * w)]);       // the other plane keeps its strong units
        for (int k = 0; k < mask.Length; k++)
            if (!float.IsNaN(x.Data[k])) Assert.Equal(composed.Data[k], x.Data[k] * mask[k]);
    }

    [Fact]
    public void StandoutIsTheInputTimesItsMask()
    {
        var x = Tensor.FromArray(TestUtil.Random(new Rng(26), 2 * 3 * 19 * 37), 2, 3, 19, 37);
        var y = FusedOps.Standout(x, 0.3f, 0.2f, StandoutScale.Absolute, new Rng(8));
        float[] mask = FusedOps.StandoutMask(x, 0.3f, 0.2f, StandoutScale.Absolute, new Rng(8));
        Assert.Equal(y.Data, x.Data.Zip(mask, (a, m) => a * m).ToArray());
        Assert.Contains(mask, m => m == 0f);
        Assert.Contains(mask, m => m == 1f);
    }
}
