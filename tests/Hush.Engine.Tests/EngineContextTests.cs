using Hush.Engine.Fused;
using Hush.Engine.Kernels;
using Hush.Engine.Layers;
using Hush.Engine.Optim;

namespace Hush.Engine.Tests;

/// <summary>Engine contexts: computations in separate contexts running at once give exactly what each gives alone,
/// scopes restore the previous context, a context's workers work in it, and disposing one stops them.</summary>
public class EngineContextTests
{
    // A few ZS-N2N training steps (fused stem and head on the pair batch, Winograd, Adam) and a plain 3×3 convolution
    // with its gradients: every value that comes out, in order.
    private static float[][] Workload(Action? afterFirstStep = null)
    {
        var rng = new Rng(5);
        var y = Tensor.FromArray(Enumerable.Range(0, 3 * 48 * 40).Select(_ => rng.NextFloat()).ToArray(), 1, 3, 48, 40);
        var c1 = new Conv2d(3, 48, 3, rng, padding: 1);
        var c2 = new Conv2d(48, 48, 3, rng, padding: 1);
        var c3 = new Conv2d(48, 3, 1, rng);
        Tensor[] parameters = [.. c1.Parameters(), .. c2.Parameters(), .. c3.Parameters()];
        var adam = new Adam(parameters, 1e-3f);
        var arena = new TensorArena();
        var losses = new List<float>();
        Tensor Denoise(Tensor x) => Ops.Sub(x, FusedOps.Conv2dLeakyReluStemHead(x, c1.Weight, c1.Bias!, c2.Weight, c2.Bias!, c3.Weight, c3.Bias!, 0.2f));
        for (int step = 0; step < 4; step++)
        {
            adam.ZeroGrad();
            using (arena.Activate())
            {
                var pairs = Ops.DiagonalPairs(y);
                var p = Denoise(pairs);
                var loss = Ops.Add(Ops.MseLoss(pairs, Ops.SwapBatchHalves(p)), Ops.MseLoss(p, Ops.DiagonalPairs(Denoise(y))));
                losses.Add(loss.Item());
                loss.Backward();
            }

            arena.Reset();
            adam.Step();
            if (step == 0) afterFirstStep?.Invoke();
        }

        var x = Tensor.Parameter(TestUtil.Random(new Rng(7), 2 * 16 * 33 * 29), 2, 16, 33, 29);
        var w = Tensor.Parameter(TestUtil.Random(new Rng(8), 16 * 16 * 9), 16, 16, 3, 3);
        var conv = Ops.Conv2d(x, w, null, padding: 1);
        Ops.Sum(Ops.Mul(conv, conv)).Backward();
        return [.. parameters.Select(t => t.Data.ToArray()), [.. losses], conv.Data, x.Grad!, w.Grad!];
    }

    private static float[][] In(EngineContext context, Action? afterFirstStep = null)
    {
        using (context.Enter()) return Workload(afterFirstStep);
    }

    [Fact]
    public void ForEachPartRunsEveryPartOnceOnTheContextsWorkers()
    {
        using var two = new EngineContext(2);
        using (two.Enter())
        {
            var counts = new int[5];
            var threads = new int[5];
            Threading.ForEachPart(5, p =>
            {
                Interlocked.Increment(ref counts[p]);
                threads[p] = Environment.CurrentManagedThreadId;
                Thread.Sleep(20); // long enough that one thread cannot take every part
            });
            Assert.All(counts, c => Assert.Equal(1, c));
            Assert.True(threads.Distinct().Count() >= 2, "two workers took part");
        }
    }

    [Fact]
    public void ContextsRunningAtOnceGiveTheBitsEachGivesAlone()
    {
        using var one = new EngineContext(1);
        using var two = new EngineContext(2);
        float[][] aloneOne = In(one), aloneTwo = In(two);

        for (int round = 0; round < 2; round++)
        {
            // Both start together and meet again after their first step, so the rest of the steps overlap.
            using var start = new Barrier(2);
            using var met = new Barrier(2);
            var timeout = TimeSpan.FromMinutes(1); // a failure in one must not leave the other waiting forever
            float[][] Run(EngineContext context)
            {
                start.SignalAndWait(timeout);
                return In(context, () => met.SignalAndWait(timeout));
            }

            var results = TestUtil.OnThreads(() => Run(one), () => Run(two));
            Assert.Equal(aloneOne.Length, results[0].Length);
            for (int k = 0; k < aloneOne.Length; k++)
            {
                Assert.Equal(aloneOne[k], results[0][k]);
                Assert.Equal(aloneTwo[k], results[1][k]);
            }
        }
    }

    [Fact]
    public void AScopeMakesItsContextCurrentAndRestoresThePreviousOne()
    {
        using var outer = new EngineContext(3);
        using var inner = new EngineContext(1);
        var before = EngineContext.Current;
        using (outer.Enter())
        {
            Assert.Same(outer, EngineContext.Current);
            Assert.Equal(3, Threading.MaxThreads);
            using (inner.Enter())
            {
                Assert.Same(inner, EngineContext.Current);
                Threading.MaxThreads = 2; // sets the current context's count, not the default's
                Assert.Equal(2, inner.Threads);
            }

            Assert.Same(outer, EngineContext.Current);
            Assert.Equal(3, Threading.MaxThreads);
        }

        Assert.Same(before, EngineContext.Current);
        var seenElsewhere = TestUtil.OnThreads(() => EngineContext.Current)[0];
        Assert.Same(EngineContext.Default, seenElsewhere); // another thread never saw this thread's scope
    }

    [Fact]
    public void WorkersSeeTheirOwnerContext()
    {
        using var context = new EngineContext(2);
        using var scope = context.Enter();
        var contexts = new EngineContext?[2];
        var threads = new Thread?[2];
        var nestedThreads = new int[2];
        var rented = new float[2][];
        Par.For(2, 2, (s, e) =>
        {
            contexts[s] = EngineContext.Current;
            threads[s] = Thread.CurrentThread;
            nestedThreads[s] = Threading.MaxThreads;
            rented[s] = Scratch.Rent(54_321 + s * 10_000); // sizes in classes of their own
            Scratch.Return(rented[s]);
        });

        Assert.NotSame(threads[0], threads[1]); // part 1 ran on a worker
        Assert.Contains(threads[1], context.Pool.Workers);
        Assert.All(contexts, c => Assert.Same(context, c));
        Assert.All(nestedThreads, n => Assert.Equal(2, n));
        // The worker's buffer went back to the owner's pool: the caller gets that very array.
        Assert.Same(rented[1], Scratch.Rent(54_321 + 10_000));
        using var other = new EngineContext(2);
        using (other.Enter()) Assert.NotSame(rented[0], Scratch.Rent(54_321)); // another context's pool
    }

    [Fact]
    public void DisposingAContextStopsItsWorkers()
    {
        var context = new EngineContext(3);
        using (context.Enter()) Par.For(3, 3, (s, e) => { });
        var workers = context.Pool.Workers;
        Assert.Equal(2, workers.Count);
        Assert.All(workers, t => Assert.True(t.IsAlive));

        context.Dispose();
        Assert.True(context.IsDisposed);
        Assert.All(workers, t => Assert.False(t.IsAlive));
        Assert.Throws<ObjectDisposedException>(() => context.Enter());
        Assert.Throws<ObjectDisposedException>(() => context.Pool.Run(4, 2, (s, e) => { }));
        context.Dispose(); // twice: nothing more happens
        Assert.Throws<InvalidOperationException>(() => EngineContext.Default.Dispose());
    }

    [Fact]
    public void ABorrowedContextIsNeverLentTwiceAtOnce()
    {
        EngineContext first, second;
        using (var a = EngineContext.Borrow(7))
        {
            first = a.Context;
            Assert.Same(first, EngineContext.Current);
            second = TestUtil.OnThreads(() =>
            {
                using var b = EngineContext.Borrow(7);
                return b.Context;
            })[0];
            Assert.NotSame(first, second); // checked out: the other thread got a context of its own
            Assert.Same(first, EngineContext.Current);
        }

        Assert.NotSame(first, EngineContext.Current);
        using (var c = EngineContext.Borrow(7))
        {
            Assert.Same(first, c.Context); // the idle one returned last is reused: no new workers
            Assert.Equal(7, c.Context.Threads);
        }
    }
}
