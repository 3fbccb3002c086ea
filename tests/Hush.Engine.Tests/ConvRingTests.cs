using Hush.Engine.Kernels;
using Hush.Engine.Kernels.Reference;

namespace Hush.Engine.Tests;

/// <summary>Unpadded 3×3 stride-1 convolutions (pre-padded inputs: the Self2Self U-Nets' reflect borders) take the
/// Winograd path through <see cref="Conv2dRing"/>: forward, backward-data, backward-weight and bias, with and without
/// the fused LeakyReLU, against the direct scalar twin (<see cref="ConvReference"/>).</summary>
public class ConvRingTests
{
    [Theory]
    [InlineData(1, 48, 96, 34, 34, 0.2f)]   // a 32² U-Net level, reflect-padded by 1
    [InlineData(1, 144, 96, 66, 40, 0.2f)]  // decoder widths, partial tiles
    [InlineData(2, 16, 20, 37, 35, -1f)]    // no activation, batch of 2, channels padded to the vector width
    public void MatchesTheDirectValidConvolution(int n, int cin, int cout, int h, int w, float slope)
    {
        ConvGeometry g = ConvGeometry.Create([n, cin, h, w], [cout, cin, 3, 3], [cout], 1, 0, 1, 1);
        Assert.True(Conv2dRing.Can(g, out _) || Simd.Best == SimdLevel.Scalar, "this geometry should take the Winograd ring path");
        var rng = new Rng(3);
        var x = Tensor.Parameter(TestUtil.Random(rng, n * cin * h * w), n, cin, h, w);
        var wt = Tensor.Parameter(TestUtil.Random(rng, cout * cin * 9), cout, cin, 3, 3);
        var b = Tensor.Parameter(TestUtil.Random(rng, cout), cout);
        float[] dy = TestUtil.Random(rng, g.OutputLength);

        var y = slope >= 0 ? Ops.Conv2dLeakyRelu(x, wt, b, slope) : Ops.Conv2d(x, wt, b);
        Assert.Equal(new[] { n, cout, h - 2, w - 2 }, y.Shape);
        Ops.Sum(Ops.Mul(y, Tensor.FromArray(dy, y.Shape))).Backward();

        var yRef = new float[g.OutputLength];
        ConvReference.Forward(g, yRef, x.Data, wt.Data, b.Data);
        float[] g2 = (float[])dy.Clone();
        if (slope >= 0)
        {
            for (int i = 0; i < yRef.Length; i++)
            {
                if (yRef[i] > 0f) continue;
                yRef[i] *= slope;
                g2[i] *= slope;
            }
        }

        float[] dxRef = new float[x.Length], dwRef = new float[wt.Length], dbRef = new float[cout];
        ConvReference.BackwardData(g, dxRef, g2, wt.Data);
        ConvReference.BackwardWeight(g, dwRef, g2, x.Data);
        int plane = g.Ho * g.Wo;
        for (int i = 0; i < g2.Length; i++) dbRef[i / plane % cout] += g2[i];

        const double tolerance = 2e-5; // Winograd's float rounding, as WinogradTests
        TestUtil.AssertClose(yRef, y.Data, tolerance, "forward");
        TestUtil.AssertClose(dxRef, x.Grad!, tolerance, "backward-data");
        TestUtil.AssertClose(dwRef, wt.Grad!, tolerance, "backward-weight");
        TestUtil.AssertClose(dbRef, b.Grad!, tolerance, "bias");
    }

    [Fact]
    public void ReflectPaddedConvolutionEqualsTheDirectPathOnTheSamePaddedInput()
    {
        // The layer the U-Nets use: Pad2d(reflect) → unpadded conv, now on Winograd; compare with the direct path
        // (Conv2dFast, which an unpadded conv took before) by running the same numbers through ForwardGeneral.
        var rng = new Rng(8);
        var layer = new Layers.PaddedConv2d(48, 48, 3, rng, PadMode.Reflect);
        var x = Tensor.FromArray(TestUtil.Random(rng, 48 * 32 * 32), 1, 48, 32, 32);
        var y = layer.Forward(x);
        var padded = Ops.Pad2d(x, 1, PadMode.Reflect);
        ConvGeometry g = ConvGeometry.Create(padded.Shape, layer.Weight.Shape, [48], 1, 0, 1, 1);
        var yDirect = new float[g.OutputLength];
        Conv2dKernels.ForwardGeneral(g, yDirect, padded.Data, layer.Weight.Data, layer.Bias!.Data);
        TestUtil.AssertClose(yDirect, y.Data, 2e-5, "reflect-padded conv");
    }
}
