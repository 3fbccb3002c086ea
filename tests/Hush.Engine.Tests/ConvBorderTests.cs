using Hush.Engine.Kernels;
using Hush.Engine.Kernels.Reference;
using Hush.Engine.Kernels.Winograd;

namespace Hush.Engine.Tests;

/// <summary>'Same' 3×3 convolutions with a mirrored border (<see cref="Ops.Conv2dSame3x3"/>: the mirror written into
/// Winograd's padded copy, its gradient folded back) against the composition they replace, Pad2d then an unpadded
/// convolution: values and the gradients of x, w and bias, with and without LeakyReLU; and the forward pass against the
/// direct scalar twin on the padded input.</summary>
public class ConvBorderTests
{
    [Theory]
    [InlineData(1, 48, 96, 32, 32, PadMode.Reflect, 0.2f)]   // a U-Net level
    [InlineData(1, 144, 96, 34, 41, PadMode.Reflect, 0.2f)]  // decoder widths, partial tiles on both sides
    [InlineData(2, 16, 20, 37, 35, PadMode.Symmetric, -1f)]  // no activation, two images, channels padded to the vector width
    [InlineData(1, 20, 16, 30, 33, PadMode.Reflect, -1f)]
    public void MirroredBorderEqualsPaddingThenConvolving(int n, int cin, int cout, int h, int w, PadMode mode, float slope)
    {
        var g = ConvGeometry.Create([n, cin, h, w], [cout, cin, 3, 3], [cout], 1, 1, 1, 1) with { Border = mode };
        Assert.True(WinogradConv.Can(g, Simd.Best) || Simd.Best == SimdLevel.Scalar, "this geometry should take the Winograd path");
        float? leaky = slope >= 0 ? slope : null;
        var f = Gradients(n, cin, cout, h, w, 3, (x, wt, b) => Ops.Conv2dSame3x3(x, wt, b, mode, leaky));
        var c = Gradients(n, cin, cout, h, w, 3, (x, wt, b) =>
        {
            var padded = Ops.Pad2d(x, 1, mode);
            return leaky is float s ? Ops.Conv2dLeakyRelu(padded, wt, b, s) : Ops.Conv2d(padded, wt, b);
        });
        const double tolerance = 2e-5; // Winograd's float rounding on differently placed tiles
        TestUtil.AssertClose(c.Y, f.Y, tolerance, "forward");
        TestUtil.AssertClose(c.DX, f.DX, tolerance, "backward-data (with the border folded back)");
        TestUtil.AssertClose(c.DW, f.DW, tolerance, "backward-weight");
        TestUtil.AssertClose(c.DB, f.DB, tolerance, "bias");
    }

    // An input scale (a dropout mask: 0 or 1/(1 − p)) applied inside the convolution against Mul, then the same conv.
    [Theory]
    [InlineData(1, 48, 96, 32, 32, PadMode.Reflect, 0.2f)]
    [InlineData(2, 20, 16, 37, 35, PadMode.Zero, 0.1f)]
    [InlineData(1, 144, 96, 34, 41, PadMode.Symmetric, -1f)]
    [InlineData(1, 48, 48, 8, 8, PadMode.Reflect, 0.2f)] // too few tiles for Winograd: the composition itself
    public void InputScaleEqualsMultiplyingThenConvolving(int n, int cin, int cout, int h, int w, PadMode mode, float slope)
    {
        float? leaky = slope >= 0 ? slope : null;
        float[] Mask(Tensor x) => Ops.DropoutMask(x, 0.4f, new Rng(6));
        var f = Gradients(n, cin, cout, h, w, 5, (x, wt, b) => Ops.Conv2dSame3x3(x, wt, b, mode, leaky, Mask(x)));
        var c = Gradients(n, cin, cout, h, w, 5,
            (x, wt, b) => Ops.Conv2dSame3x3(Ops.Mul(x, Tensor.FromArray(Mask(x), x.Shape)), wt, b, mode, leaky));
        // The same Winograd tiles on the same scaled values: equal up to the order of two roundings in dX.
        TestUtil.AssertClose(c.Y, f.Y, 1e-6, "forward");
        TestUtil.AssertClose(c.DX, f.DX, 1e-6, "backward-data through the scale");
        TestUtil.AssertClose(c.DW, f.DW, 1e-6, "backward-weight");
        TestUtil.AssertClose(c.DB, f.DB, 1e-6, "bias");
        Assert.Contains(f.DX, v => v == 0f); // the dropped inputs get no gradient
    }

    // conv(x, w, b) on x [n, cin, h, w], w [cout, cin, 3, 3], b [cout] drawn from seed, then the gradients of
    // Σ y ⊙ r for a fixed random r: (y, dx, dw, db).
    private static (float[] Y, float[] DX, float[] DW, float[] DB) Gradients(int n, int cin, int cout, int h, int w, ulong seed,
        Func<Tensor, Tensor, Tensor, Tensor> conv)
    {
        var rng = new Rng(seed);
        var x = Tensor.Parameter(TestUtil.Random(rng, n * cin * h * w), n, cin, h, w);
        var wt = Tensor.Parameter(TestUtil.Random(rng, cout * cin * 9), cout, cin, 3, 3);
        var b = Tensor.Parameter(TestUtil.Random(rng, cout), cout);
        var y = conv(x, wt, b);
        Ops.Sum(Ops.Mul(y, Tensor.FromArray(TestUtil.Random(new Rng(4), y.Length), y.Shape))).Backward();
        return (y.Data, x.Grad!, wt.Grad!, b.Grad!);
    }

    [Fact]
    public void DropoutIsTheInputTimesItsMask()
    {
        var x = Tensor.FromArray(TestUtil.Random(new Rng(1), 3 * 17 * 19), 1, 3, 17, 19);
        var y = Ops.Dropout(x, 0.3f, new Rng(9));
        float[] mask = Ops.DropoutMask(x, 0.3f, new Rng(9));
        Assert.Equal(y.Data, x.Data.Zip(mask, (a, m) => a * m).ToArray());
    }

    [Theory]
    [InlineData(PadMode.Reflect)]
    [InlineData(PadMode.Symmetric)]
    public void MirroredBorderMatchesTheDirectScalarTwinOnThePaddedInput(PadMode mode)
    {
        var rng = new Rng(8);
        var x = Tensor.FromArray(TestUtil.Random(rng, 2 * 24 * 33 * 35), 2, 24, 33, 35);
        var wt = Tensor.FromArray(TestUtil.Random(rng, 16 * 24 * 9), 16, 24, 3, 3);
        var b = Tensor.FromArray(TestUtil.Random(rng, 16), 16);
        var y = Ops.Conv2dSame3x3(x, wt, b, mode);
        var padded = Ops.Pad2d(x, 1, mode);
        var g = ConvGeometry.Create(padded.Shape, wt.Shape, [16], 1, 0, 1, 1);
        var yRef = new float[g.OutputLength];
        ConvReference.Forward(g, yRef, padded.Data, wt.Data, b.Data);
        TestUtil.AssertClose(yRef, y.Data, 2e-5, "mirrored conv vs direct twin");
    }

    [Fact]
    public void SmallInputsFallBackToTheComposition()
    {
        // 8×8 pixels are four tiles: below Winograd's minimum, so the op pads and convolves directly (exactly the composition).
        var rng = new Rng(2);
        var x = Tensor.FromArray(TestUtil.Random(rng, 48 * 64), 1, 48, 8, 8);
        var wt = Tensor.FromArray(TestUtil.Random(rng, 48 * 48 * 9), 48, 48, 3, 3);
        var y = Ops.Conv2dSame3x3(x, wt, null, PadMode.Reflect, 0.1f);
        var c = Ops.Conv2dLeakyRelu(Ops.Pad2d(x, 1, PadMode.Reflect), wt, null, 0.1f);
        Assert.Equal(c.Data, y.Data);
    }
}
