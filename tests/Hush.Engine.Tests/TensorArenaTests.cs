using Hush.Engine.Layers;
using Hush.Engine.Optim;

namespace Hush.Engine.Tests;

public class TensorArenaTests
{
    [Fact]
    public void BuffersAreReusedAfterResetAndFreshOutsideAnArena()
    {
        var arena = new TensorArena();
        var x = Tensor.FromArray([1f, 2f, 3f], 3);
        float[] first;
        using (arena.Activate()) first = Ops.Scale(x, 2f).Data;
        Assert.Equal(new[] { 2f, 4f, 6f }, first);
        arena.Reset();
        using (arena.Activate())
        {
            var again = Ops.AddScalar(x, 1f);
            Assert.Same(first, again.Data);
            Assert.Equal(new[] { 2f, 3f, 4f }, again.Data);
            Assert.NotSame(first, Ops.AddScalar(x, 1f).Data); // still lent: a second output gets a new buffer
        }
        Assert.NotSame(first, Ops.Scale(x, 2f).Data);
    }

    [Fact]
    public void ParameterGradientsNeverComeFromTheArena()
    {
        var arena = new TensorArena();
        var w = Tensor.Parameter([0.5f, -1f], 2);
        using (arena.Activate()) Ops.Sum(Ops.Mul(w, w)).Backward();
        arena.Reset();
        float[] grad = w.Grad!;
        using (arena.Activate()) Ops.Sum(Ops.Scale(w, 3f)).Backward(); // would reuse a lent buffer if grad were one
        Assert.Same(grad, w.Grad);
        Assert.Equal(new[] { 2 * 0.5f + 3f, 2 * -1f + 3f }, w.Grad);
    }

    [Fact]
    public void TrainingWithAnArenaIsBitIdenticalToTrainingWithout()
    {
        Assert.Equal(Train(useArena: false), Train(useArena: true));
    }

    private static float[] Train(bool useArena)
    {
        var rng = new Rng(3);
        var x = Tensor.FromArray(Enumerable.Range(0, 2 * 40 * 36).Select(_ => rng.NextFloat()).ToArray(), 1, 2, 40, 36);
        var conv1 = new Conv2d(2, 16, 3, rng, padding: 1);
        var mid = new Conv2d(16, 16, 3, rng, padding: 1); // the Winograd path: outputs are not cleared before reuse
        var conv2 = new Conv2d(16, 2, 1, rng);
        var adam = new Adam(conv1.Parameters().Concat(mid.Parameters()).Concat(conv2.Parameters()), 1e-2f);
        var arena = new TensorArena();
        for (int i = 0; i < 5; i++)
        {
            adam.ZeroGrad();
            var scope = useArena ? arena.Activate() : default;
            var y = conv2.Forward(Ops.LeakyRelu(mid.Forward(Ops.LeakyRelu(conv1.Forward(x), 0.2f)), 0.2f));
            Ops.MseLoss(y, x).Backward();
            if (useArena) scope.Dispose();
            arena.Reset();
            adam.Step();
        }
        return conv2.Forward(Ops.LeakyRelu(mid.Forward(Ops.LeakyRelu(conv1.Forward(x), 0.2f)), 0.2f)).Data;
    }
}

public class ArenaRecyclingTests
{
    [Fact]
    public void ReleasedGradientsAreReusedWithinTheStep()
    {
        var arena = new TensorArena();
        var w = Tensor.Parameter([1f, 2f, 3f], 3);
        using (arena.Activate())
        {
            var a = Ops.Scale(w, 2f);
            var b = Ops.Scale(a, 3f);
            Ops.Sum(b).Backward(); // b's and a's gradients are released as the pass goes
            float[] reused = Ops.Scale(w, 1f).Data;   // output buffer: may be a recycled gradient
            float[] another = Ops.Scale(w, 1f).Data;
            Assert.NotSame(reused, another);
            Assert.Equal(new[] { 1f, 2f, 3f }, reused);
        }

        Assert.Equal(new[] { 6f, 6f, 6f }, w.Grad);
    }
}

public class ArenaNodeTests
{
    [Fact]
    public void OpNodesAreRecycledInOrderByTheNextStep()
    {
        var arena = new TensorArena();
        var w = Tensor.Parameter([1f, -2f, 3f, 4f], 1, 1, 2, 2);
        Tensor a1, b1;
        using (arena.Activate())
        {
            a1 = Ops.Scale(w, 2f);
            b1 = Ops.Sub(a1, w);
            Ops.MseLoss(b1, Tensor.Zeros(1, 1, 2, 2)).Backward(); // d/dw mean((2w - w - 0)²) = (w - 0) / 2
        }

        Assert.Equal(new[] { 0.5f, -1f, 1.5f, 2f }, w.Grad);
        arena.Reset();
        w.ZeroGrad();
        using (arena.Activate())
        {
            var a2 = Ops.Scale(w, 2f);
            var b2 = Ops.Sub(a2, w);
            Assert.Same(a1, a2);  // first in, first out: the same op gets the same node
            Assert.Same(b1, b2);
            Assert.Equal(new[] { 1, 1, 2, 2 }, b2.Shape);
            var ones = Tensor.FromArray([1f, 1f, 1f, 1f], 1, 1, 2, 2);
            Ops.MseLoss(b2, ones).Backward();
        }

        // (w - 1) / 2: the recycled nodes' rules ran with this step's parents and scalar, not the last step's
        Assert.Equal(new[] { 0f, -1.5f, 1f, 1.5f }, w.Grad);
    }

    [Fact]
    public void ARecycledNodeNeverWritesAShapeArrayAnotherTensorShares()
    {
        var arena = new TensorArena();
        var x = Tensor.FromArray(new float[6], 1, 1, 2, 3);
        int[] kept;
        using (arena.Activate())
        {
            var scaled = Ops.Scale(x, 2f);        // a recycled node (static rule)
            kept = Ops.Clamp(scaled, 0f, 1f).Shape; // an op that shares its input's shape array
        }

        arena.Reset();
        using (arena.Activate())
        {
            var other = Ops.Scale(Tensor.FromArray(new float[4], 4), 2f); // same node, other shape
            Assert.Equal(new[] { 4 }, other.Shape);
        }

        Assert.Equal(new[] { 1, 1, 2, 3 }, kept);
    }

    [Fact]
    public void NodesMadeWithoutGradRecordNoGraphAndStillRecycle()
    {
        var arena = new TensorArena();
        var w = Tensor.Parameter([1f, 2f], 2);
        using (arena.Activate())
        {
            using (Autograd.NoGrad())
            {
                var y = Ops.Scale(w, 3f);
                Assert.False(y.RequiresGrad);
                Assert.Equal(new[] { 3f, 6f }, y.Data);
            }

            var z = Ops.Scale(w, 3f); // grad mode back on: this op records its rule
            Assert.True(z.RequiresGrad);
            Ops.Sum(z).Backward();
        }

        Assert.Equal(new[] { 3f, 3f }, w.Grad);
    }
}
