namespace Hush.Engine.Tests;

/// <summary>General max-pooling, RoI max-pooling and global max/mean pooling (PaQ-2-PiQ's ops): each against a direct
/// computation written here, against finite differences, and for gradient accumulation.</summary>
public class PoolingTests
{
    // Distinct values 0.05 apart in random order: finite differences (eps 0.01) never change which input is the maximum.
    private static float[] Distinct(Rng rng, int n)
    {
        var a = Enumerable.Range(0, n).Select(i => (i - n / 2) * 0.05f).ToArray();
        for (int i = n - 1; i > 0; i--)
        {
            int j = (int)(rng.NextUInt64() % (ulong)(i + 1));
            (a[i], a[j]) = (a[j], a[i]);
        }

        return a;
    }

    [Theory]
    [InlineData(3, 2, 1, 9, 10)] // ResNet's stem pool
    [InlineData(3, 2, 1, 8, 7)]
    [InlineData(2, 2, 0, 6, 5)]
    [InlineData(3, 1, 1, 4, 5)]
    [InlineData(5, 3, 2, 11, 9)]
    public void MaxPoolMatchesADirectComputationAndFiniteDifferences(int k, int s, int p, int h, int w)
    {
        var rng = new Rng(3);
        int[] shape = [2, 3, h, w];
        var x = Tensor.Parameter(Distinct(rng, TestUtil.Numel(shape)), shape);
        var y = Ops.MaxPool2d(x, k, s, p);
        int ho = (h + 2 * p - k) / s + 1, wo = (w + 2 * p - k) / s + 1;
        Assert.Equal(new[] { 2, 3, ho, wo }, y.Shape);
        for (int pl = 0; pl < 6; pl++)
            for (int oy = 0; oy < ho; oy++)
                for (int ox = 0; ox < wo; ox++)
                {
                    float m = float.NegativeInfinity;
                    for (int i = oy * s - p; i < oy * s - p + k; i++)
                        for (int j = ox * s - p; j < ox * s - p + k; j++)
                            if (i >= 0 && i < h && j >= 0 && j < w) m = Math.Max(m, x.Data[(pl * h + i) * w + j]);
                    Assert.Equal(m, y.Data[(pl * ho + oy) * wo + ox]);
                }

        TestUtil.GradCheck(t => Ops.MaxPool2d(t[0], k, s, p), [x], samples: 60);
    }

    [Fact]
    public void MaxPoolGradientAccumulatesAndGoesToTheFirstMaximum()
    {
        var x = Tensor.Parameter([1, 1, 1, 1], 1, 1, 2, 2);
        Ops.Sum(Ops.MaxPool2d(x, 2, 2, 0)).Backward();
        Ops.Sum(Ops.MaxPool2d(x, 2, 2, 0)).Backward();
        Assert.Equal(new float[] { 2, 0, 0, 0 }, x.Grad);
        Assert.Throws<ArgumentException>(() => Ops.MaxPool2d(x, 3, 2, 2)); // padding over half the window
        Assert.Throws<ArgumentException>(() => Ops.MaxPool2d(Tensor.Zeros(1, 1, 1, 1), 3, 2, 0));
    }

    [Theory]
    [InlineData(256, 256, 8, 8)]    // whole 256² image, ResNet stride 32: 9 cells in 2 bins of 4.5 → [0, 5) and [4, 8)
    [InlineData(100, 70, 4, 3)]
    [InlineData(48, 80, 2, 3)]      // 48/32 = 1.5 rounds away from zero to 2
    [InlineData(16, 16, 1, 1)]
    public void RoiPoolBinsFollowTorchvision(int width, int height, int fw, int fh)
    {
        var rows = Kernels.Pooling.RoiBins(0, height, 1f / 32, 2, fh);
        var cols = Kernels.Pooling.RoiBins(0, width, 1f / 32, 2, fw);
        foreach (var (bins, side, extent) in new[] { (rows, fh, height), (cols, fw, width) })
        {
            // torchvision: end = round(extent/32), n = max(end + 1, 1) cells, bin b = [floor(b·n/2), ceil((b+1)·n/2)) ∩ [0, side)
            int end = (int)Math.Round(extent / 32.0, MidpointRounding.AwayFromZero), n = Math.Max(end + 1, 1);
            for (int b = 0; b < 2; b++)
            {
                int lo = Math.Min((int)Math.Floor(b * n / 2.0), side), hi = Math.Min((int)Math.Ceiling((b + 1) * n / 2.0), side);
                Assert.Equal((lo, hi), bins[b]);
            }
        }

        if (width == 256) Assert.Equal(new[] { (0, 5), (4, 8) }, rows);
    }

    [Fact]
    public void RoiPoolMatchesADirectComputationAndFiniteDifferences()
    {
        var rng = new Rng(5);
        int[] shape = [1, 4, 7, 6];
        var x = Tensor.Parameter(Distinct(rng, TestUtil.Numel(shape)), shape);
        // Box (10, 20) – (170, 200) at scale 1/32: cells x 0..5 (6 → bins [0, 3), [3, 6)), y 1..6 ([1, 4), [4, 7)).
        var y = Ops.RoiMaxPool2d(x, 10, 20, 170, 200, 1f / 32, 2);
        Assert.Equal(new[] { 1, 4, 2, 2 }, y.Shape);
        (int, int)[] rows = [(1, 4), (4, 7)], cols = [(0, 3), (3, 6)];
        for (int c = 0; c < 4; c++)
            for (int by = 0; by < 2; by++)
                for (int bx = 0; bx < 2; bx++)
                {
                    float m = float.MinValue;
                    for (int i = rows[by].Item1; i < rows[by].Item2; i++)
                        for (int j = cols[bx].Item1; j < cols[bx].Item2; j++) m = Math.Max(m, x.Data[(c * 7 + i) * 6 + j]);
                    Assert.Equal(m, y.Data[(c * 2 + by) * 2 + bx]);
                }

        TestUtil.GradCheck(t => Ops.RoiMaxPool2d(t[0], 0, 0, 224, 192, 1f / 32, 2), [x], samples: 60); // overlapping bins
    }

    [Fact]
    public void RoiPoolGivesZeroForAnEmptyBin()
    {
        // A box wholly right of a 2-wide map: every bin is clipped to nothing.
        var x = Tensor.Parameter([1, 2, 3, 4], 1, 1, 2, 2);
        var y = Ops.RoiMaxPool2d(x, 200, 0, 300, 64, 1f / 32, 2);
        Assert.All(y.Data, v => Assert.Equal(0f, v));
        Ops.Sum(y).Backward();
        Assert.All(x.Grad!, g => Assert.Equal(0f, g));
    }

    [Fact]
    public void GlobalPoolsMatchADirectComputationAndFiniteDifferences()
    {
        var rng = new Rng(9);
        int[] shape = [2, 3, 4, 5];
        var x = Tensor.Parameter(Distinct(rng, TestUtil.Numel(shape)), shape);
        var max = Ops.GlobalMaxPool2d(x);
        var mean = Ops.GlobalAvgPool2d(x);
        Assert.Equal(new[] { 2, 3, 1, 1 }, max.Shape);
        Assert.Equal(new[] { 2, 3, 1, 1 }, mean.Shape);
        for (int pl = 0; pl < 6; pl++)
        {
            var plane = x.Data.Skip(pl * 20).Take(20).ToArray();
            Assert.Equal(plane.Max(), max.Data[pl]);
            Assert.Equal(plane.Average(v => (double)v), mean.Data[pl], 6);
        }

        TestUtil.GradCheck(t => Ops.GlobalMaxPool2d(t[0]), [x], samples: 60);
        TestUtil.GradCheck(t => Ops.GlobalAvgPool2d(t[0]), [x], samples: 60);
        x.ZeroGrad();
        Ops.Sum(Ops.GlobalAvgPool2d(x)).Backward();
        Ops.Sum(Ops.GlobalAvgPool2d(x)).Backward();
        Assert.All(x.Grad!, g => Assert.Equal(2f / 20, g, 6));
    }
}

/// <summary>Crop2d against a direct index map, finite differences and accumulation.</summary>
public class CropTests
{
    [Fact]
    public void CropMatchesADirectMapAndFiniteDifferencesAndAccumulates()
    {
        var rng = new Rng(13);
        int[] shape = [2, 3, 6, 7];
        var x = Tensor.Parameter(TestUtil.Random(rng, TestUtil.Numel(shape)), shape);
        var y = Ops.Crop2d(x, 1, 2, 4, 3);
        Assert.Equal(new[] { 2, 3, 4, 3 }, y.Shape);
        for (int p = 0; p < 6; p++)
            for (int i = 0; i < 4; i++)
                for (int j = 0; j < 3; j++) Assert.Equal(x.Data[(p * 6 + 1 + i) * 7 + 2 + j], y.Data[(p * 4 + i) * 3 + j]);
        TestUtil.GradCheck(t => Ops.Crop2d(t[0], 1, 2, 4, 3), [x], samples: 60);

        x.ZeroGrad();
        Ops.Sum(Ops.Crop2d(x, 1, 2, 4, 3)).Backward();
        Ops.Sum(Ops.Crop2d(x, 1, 2, 4, 3)).Backward();
        for (int i = 0; i < 6; i++)
            for (int j = 0; j < 7; j++)
                Assert.Equal(i >= 1 && i < 5 && j >= 2 && j < 5 ? 2f : 0f, x.Grad![(3 * 6 + i) * 7 + j]);
        Assert.Throws<ArgumentOutOfRangeException>(() => Ops.Crop2d(x, 3, 0, 4, 7));
    }
}
