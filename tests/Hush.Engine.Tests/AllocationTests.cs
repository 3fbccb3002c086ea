using Hush.Engine.Fused;
using Hush.Engine.Layers;
using Hush.Engine.Optim;

namespace Hush.Engine.Tests;

/// <summary>After warm-up a training step must allocate nothing on the managed heap: buffers and op nodes come back
/// from the arena, kernels keep their arguments in struct bodies, and the backward pass reuses its collections.
/// The step is ZS-N2N's (pair downsampler, the 3-layer network on the pair batch and on the full image, both loss
/// terms, backward, Adam), so every op it uses is covered. Counted on the calling thread, which runs part 0 of every
/// parallel region and all of the graph bookkeeping. The step runs in an engine context of its own: scratch buffers
/// that a test running at the same time held would otherwise make a rent miss and allocate.</summary>
public class AllocationTests
{
    [Theory]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(1, false)]
    [InlineData(2, false)]
    public void AZsN2NTrainingStepAllocatesNothingAfterWarmUp(int threads, bool fused)
    {
        using var context = TestUtil.Threads(threads);
        var rng = new Rng(5);
        var y = Tensor.FromArray(Enumerable.Range(0, 3 * 64 * 64).Select(_ => rng.NextFloat()).ToArray(), 1, 3, 64, 64);
        var c1 = new Conv2d(3, 48, 3, rng, padding: 1);
        var c2 = new Conv2d(48, 48, 3, rng, padding: 1); // 32×32 pair images: the Winograd path
        var c3 = new Conv2d(48, 3, 1, rng);
        var adam = new Adam([.. c1.Parameters(), .. c2.Parameters(), .. c3.Parameters()], 1e-3f);
        var arena = new TensorArena();
        // fused: the three layers as the one op ZS-N2N uses; else layer by layer (the ops other networks use)
        Tensor Network(Tensor x) => fused
            ? FusedOps.Conv2dLeakyReluStemHead(x, c1.Weight, c1.Bias!, c2.Weight, c2.Bias!, c3.Weight, c3.Bias!, 0.2f)
            : c3.Forward(c2.ForwardLeakyRelu(c1.ForwardLeakyRelu(x, 0.2f), 0.2f));
        Tensor Denoise(Tensor x) => Ops.Sub(x, Network(x));
        void Step()
        {
            adam.ZeroGrad();
            using (arena.Activate())
            {
                var pairs = Ops.DiagonalPairs(y);
                var p = Denoise(pairs);
                var residual = Ops.MseLoss(pairs, Ops.SwapBatchHalves(p));
                var consistency = Ops.MseLoss(p, Ops.DiagonalPairs(Denoise(y)));
                var loss = Ops.Add(residual, consistency);
                Assert.True(float.IsFinite(loss.Item()));
                loss.Backward();
            }

            arena.Reset();
            adam.Step();
        }

        for (int i = 0; i < 3; i++) Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++) Step();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
