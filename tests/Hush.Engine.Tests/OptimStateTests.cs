using Hush.Engine;
using Hush.Engine.Optim;

namespace Hush.Engine.Tests;

/// <summary>What a resumable checkpoint saves: a generator's state and Adam's state, put back, continue the very same
/// sequence of draws and updates.</summary>
public class OptimStateTests
{
    [Fact]
    public void AGeneratorPutBackInASavedStateDrawsTheSameSequence()
    {
        var rng = new Rng(17);
        for (int i = 0; i < 5; i++) rng.NextUInt64();
        ulong[] state = rng.GetState();
        ulong[] expected = Enumerable.Range(0, 8).Select(_ => rng.NextUInt64()).ToArray();
        var other = new Rng(99);
        other.SetState(state);
        Assert.Equal(expected, Enumerable.Range(0, 8).Select(_ => other.NextUInt64()).ToArray());
        Assert.Throws<ArgumentException>(() => other.SetState(new ulong[4]));
        Assert.Throws<ArgumentException>(() => other.SetState(new ulong[] { 1, 2, 3 }));
    }

    [Fact]
    public void AdamPutBackInASavedStateTakesTheSameSteps()
    {
        float[][] grads = [[1f, -2f, 3f], [0.5f, 0.1f, -4f], [-1f, 1e-3f, 2f], [3f, 3f, 3f]];
        Tensor Run(int stopAfter, out AdamState saved)
        {
            var p = Tensor.Parameter([0.5f, -1.5f, 2f], 3);
            var adam = new Adam([p], 0.01f);
            saved = null!;
            for (int t = 0; t < grads.Length; t++)
            {
                Step(adam, p, grads[t]);
                if (t + 1 == stopAfter) saved = adam.SaveState();
            }
            return p;
        }

        var whole = Run(2, out var state);
        var resumed = Tensor.Parameter([0.5f, -1.5f, 2f], 3);
        var first = new Adam([resumed], 0.01f);
        Step(first, resumed, grads[0]);
        Step(first, resumed, grads[1]);
        var again = new Adam([resumed], 0.01f);
        again.LoadState(state);
        Assert.Equal(2, again.StepCount);
        Step(again, resumed, grads[2]);
        Step(again, resumed, grads[3]);
        Assert.Equal(whole.Data, resumed.Data);
        Assert.Throws<ArgumentException>(() => again.LoadState(state with { FirstMoments = [new float[2]] }));
    }

    private static void Step(Adam adam, Tensor p, float[] grad)
    {
        adam.ZeroGrad();
        Ops.Sum(Ops.Mul(p, Tensor.FromArray(grad, 3))).Backward();
        adam.Step();
    }
}
