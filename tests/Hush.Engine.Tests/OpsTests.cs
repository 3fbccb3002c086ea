using Hush.Engine;
using Hush.Engine.Kernels.Reference;
using R = Hush.Engine.Kernels.Reference.ElementwiseReference;

namespace Hush.Engine.Tests;

public class OpsTests
{
    // Small (single-threaded kernels) and large (> 64k elements: split across threads) shapes.
    public static IEnumerable<object[]> Shapes() => [[new[] { 2, 3, 5, 7 }], [new[] { 1, 3, 160, 171 }], [new[] { 17 }]];

    private static (Tensor A, Tensor B) Pair(int[] shape, ulong seed)
    {
        var rng = new Rng(seed);
        int n = TestUtil.Numel(shape);
        return (Tensor.Parameter(TestUtil.AwayFromZero(rng, n), shape), Tensor.Parameter(TestUtil.AwayFromZero(rng, n), shape));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardMatchesScalarTwin(int[] shape)
    {
        (Tensor a, Tensor b) = Pair(shape, 1);
        float[] x = a.Data, y = b.Data;
        TestUtil.AssertClose(R.Zip(x, y, (p, q) => p + q), Ops.Add(a, b).Data, 1e-7, "Add");
        TestUtil.AssertClose(R.Zip(x, y, (p, q) => p - q), Ops.Sub(a, b).Data, 1e-7, "Sub");
        TestUtil.AssertClose(R.Zip(x, y, (p, q) => p * q), Ops.Mul(a, b).Data, 1e-7, "Mul");
        TestUtil.AssertClose(R.Map(x, p => p * 1.7f), Ops.Scale(a, 1.7f).Data, 1e-7, "Scale");
        TestUtil.AssertClose(R.Map(x, p => p + 0.3f), Ops.AddScalar(a, 0.3f).Data, 1e-7, "AddScalar");
        TestUtil.AssertClose(R.Map(x, p => R.LeakyRelu(p, 0.2f)), Ops.LeakyRelu(a, 0.2f).Data, 0, "LeakyRelu");
        TestUtil.AssertClose(R.Map(x, p => R.LeakyRelu(p, 0f)), Ops.Relu(a).Data, 0, "Relu");
        TestUtil.AssertClose(R.Map(x, R.Sigmoid), Ops.Sigmoid(a).Data, 1e-6, "Sigmoid");
        TestUtil.AssertClose(R.Map(x, p => R.Clamp(p, -0.5f, 0.25f)), Ops.Clamp(a, -0.5f, 0.25f).Data, 0, "Clamp");
        double n = x.Length;
        Assert.Equal(R.Sum(x), Ops.Sum(a).Item(), n * 1e-6);
        Assert.Equal(R.Sum(x) / n, Ops.Mean(a).Item(), 1e-5);
        Assert.Equal(R.Mse(x, y), Ops.MseLoss(a, b).Item(), 1e-5);
        Assert.Equal(R.L1(x, y), Ops.L1Loss(a, b).Item(), 1e-5);
        Assert.Equal([1], Ops.Sum(a).Shape);
        Assert.Equal([1], Ops.MseLoss(a, b).Shape);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void BackwardMatchesAnalyticTwin(int[] shape)
    {
        // d/dx of sum(op(x) * r) equals the hand-written rule applied to r; checked on every element.
        (Tensor a, Tensor b) = Pair(shape, 2);
        float[] r = TestUtil.Random(new Rng(3), a.Length);
        Tensor rt = Tensor.FromArray(r, shape);
        void Check(Func<Tensor, Tensor, Tensor> op, Func<float, float, float, float> dA, Func<float, float, float, float> dB, string name)
        {
            a.ZeroGrad();
            b.ZeroGrad();
            Ops.Sum(Ops.Mul(op(a, b), rt)).Backward();
            TestUtil.AssertClose(Enumerable.Range(0, r.Length).Select(i => dA(a.Data[i], b.Data[i], r[i])).ToArray(), a.Grad!, 1e-6, name + " dA");
            TestUtil.AssertClose(Enumerable.Range(0, r.Length).Select(i => dB(a.Data[i], b.Data[i], r[i])).ToArray(), b.Grad!, 1e-6, name + " dB");
        }

        Check(Ops.Add, (_, _, g) => g, (_, _, g) => g, "Add");
        Check(Ops.Sub, (_, _, g) => g, (_, _, g) => -g, "Sub");
        Check(Ops.Mul, (_, q, g) => g * q, (p, _, g) => g * p, "Mul");
        Check((p, q) => Ops.Add(Ops.Scale(p, 3f), Ops.AddScalar(q, 2f)), (_, _, g) => 3f * g, (_, _, g) => g, "Scale/AddScalar");
        Check((p, q) => Ops.Add(Ops.LeakyRelu(p, 0.2f), Ops.Relu(q)), (p, _, g) => g * R.LeakyReluGrad(p, 0.2f), (_, q, g) => g * R.LeakyReluGrad(q, 0f), "LeakyRelu/Relu");
        Check((p, q) => Ops.Add(Ops.Sigmoid(p), Ops.Clamp(q, -0.5f, 0.25f)),
            (p, _, g) => g * R.Sigmoid(p) * (1 - R.Sigmoid(p)), (_, q, g) => g * R.ClampGrad(q, -0.5f, 0.25f), "Sigmoid/Clamp");

        int n = a.Length;
        a.ZeroGrad();
        b.ZeroGrad();
        Ops.Add(Ops.MseLoss(a, b), Ops.Scale(Ops.L1Loss(a, b), 0.5f)).Backward();
        float[] expA = Enumerable.Range(0, n).Select(i => 2f * (a.Data[i] - b.Data[i]) / n + 0.5f * MathF.Sign(a.Data[i] - b.Data[i]) / n).ToArray();
        TestUtil.AssertClose(expA, a.Grad!, 1e-6, "Mse+L1 dA");
        TestUtil.AssertClose(expA.Select(v => -v).ToArray(), b.Grad!, 1e-6, "Mse+L1 dB");
    }

    [Fact]
    public void GradientsMatchFiniteDifferences()
    {
        int[] shape = [2, 3, 4, 5];
        (Tensor a, Tensor b) = Pair(shape, 4);
        Tensor[] ab = [a, b];
        TestUtil.GradCheck(t => Ops.Add(t[0], t[1]), ab);
        TestUtil.GradCheck(t => Ops.Sub(t[0], t[1]), ab);
        TestUtil.GradCheck(t => Ops.Mul(t[0], t[1]), ab);
        TestUtil.GradCheck(t => Ops.Scale(t[0], -1.3f), [a]);
        TestUtil.GradCheck(t => Ops.AddScalar(t[0], 0.7f), [a]);
        TestUtil.GradCheck(t => Ops.LeakyRelu(t[0], 0.2f), [a], eps: 1e-2f);
        TestUtil.GradCheck(t => Ops.Relu(t[0]), [a]);
        TestUtil.GradCheck(t => Ops.Sigmoid(t[0]), [a]);
        TestUtil.GradCheck(t => Ops.Clamp(t[0], -0.55f, 0.45f), [a], eps: 1e-3f, atol: 5e-3);
        TestUtil.GradCheck(t => Ops.Sum(t[0]), [a]);
        TestUtil.GradCheck(t => Ops.Mean(t[0]), [a]);
        TestUtil.GradCheck(t => Ops.MseLoss(t[0], t[1]), ab);
        TestUtil.GradCheck(t => Ops.L1Loss(t[0], t[1]), ab, eps: 1e-3f);
        TestUtil.GradCheck(t => Ops.SliceChannels(t[0], 1, 2), [a]);
        TestUtil.GradCheck(t => Ops.ConcatChannels(t[0], t[1], t[0]), ab);
    }

    [Fact]
    public void ChannelsSliceAndConcat()
    {
        var rng = new Rng(5);
        Tensor a = Tensor.Parameter(TestUtil.Random(rng, 2 * 3 * 4 * 5), 2, 3, 4, 5);
        Tensor b = Tensor.Parameter(TestUtil.Random(rng, 2 * 1 * 4 * 5), 2, 1, 4, 5);
        Tensor s = Ops.SliceChannels(a, 1, 2);
        Assert.Equal([2, 2, 4, 5], s.Shape);
        Assert.Equal(R.SliceChannels(a.Data, 2, 3, 20, 1, 2), s.Data);
        Tensor c = Ops.ConcatChannels(a, b);
        Assert.Equal([2, 4, 4, 5], c.Shape);
        Assert.Equal(a.Data, R.SliceChannels(c.Data, 2, 4, 20, 0, 3));
        Assert.Equal(b.Data, R.SliceChannels(c.Data, 2, 4, 20, 3, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Ops.SliceChannels(a, 2, 2));
        Assert.Throws<ArgumentException>(() => Ops.ConcatChannels(a, Tensor.Zeros(2, 1, 4, 6)));
    }

    [Fact]
    public void ShapeChecks()
    {
        Assert.Throws<ArgumentException>(() => Ops.Add(Tensor.Zeros(2, 3), Tensor.Zeros(3, 2)));
        Assert.Throws<ArgumentException>(() => Tensor.FromArray(new float[5], 2, 3));
        Assert.Throws<ArgumentException>(() => Ops.Conv2d(Tensor.Zeros(1, 3, 4, 4), Tensor.Zeros(8, 2, 3, 3)));
        Assert.Throws<ArgumentException>(() => Ops.Conv2d(Tensor.Zeros(1, 3, 2, 2), Tensor.Zeros(8, 3, 3, 3)));
        Assert.Throws<InvalidOperationException>(() => Tensor.Zeros(2).Item());
        Assert.Equal([1, 8, 2, 3], Ops.Conv2d(Tensor.Zeros(1, 3, 5, 7), Tensor.Zeros(8, 3, 3, 3), stride: 2).Shape); // floor
    }
}
