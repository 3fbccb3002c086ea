using Hush.Engine;

namespace Hush.Engine.Tests;

public class RngTests
{
    [Fact]
    public void XoshiroIsDeterministicAndMatchesReferenceSeeding()
    {
        // splitmix64(0) first output is 0xE220A8397B1DCDAF (reference value of the splitmix64 paper code)
        ulong x = 0;
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        Assert.Equal(0xE220A8397B1DCDAFUL, z ^ (z >> 31));

        var a = new Rng(123);
        var b = new Rng(123);
        for (int i = 0; i < 100; i++) Assert.Equal(a.NextUInt64(), b.NextUInt64());
        Assert.NotEqual(new Rng(1).NextUInt64(), new Rng(2).NextUInt64());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void AddGaussianIsTheSequentialLoopOnTheContextsThreads(int threads)
    {
        var source = new float[3 * 32768 + 77]; // several blocks of draws, the last one partial
        for (int i = 0; i < source.Length; i++) source[i] = i * 1e-5f;
        const float std = 1f / 30;
        var loop = new Rng(9);
        var expected = new float[source.Length];
        for (int i = 0; i < source.Length; i++) expected[i] = source[i] + std * (float)loop.NextGaussian();

        var rng = new Rng(9);
        var actual = new float[source.Length];
        using (TestUtil.Threads(2)) // Threading.MaxThreads below sets this context's count only
        {
            Threading.MaxThreads = threads;
            rng.AddGaussian(actual, source, std);
        }

        Assert.Equal(expected, actual);
        Assert.Equal(loop.GetState(), rng.GetState()); // the generator moved on exactly as far
    }

    [Fact]
    public void DistributionsAreSane()
    {
        var rng = new Rng(7);
        double sum = 0, sumSq = 0;
        const int n = 20000;
        for (int i = 0; i < n; i++)
        {
            float f = rng.NextFloat();
            Assert.InRange(f, 0f, 0.99999995f);
            float u = rng.Uniform(-2f, 3f);
            Assert.InRange(u, -2f, 3f);
            double g = rng.NextGaussian();
            sum += g;
            sumSq += g * g;
        }

        Assert.InRange(sum / n, -0.05, 0.05);
        Assert.InRange(sumSq / n, 0.95, 1.05);

        var parent = new Rng(9);
        ulong before = new Rng(9).NextUInt64();
        Rng f1 = parent.Fork(1), f1b = parent.Fork(1), f2 = parent.Fork(2);
        Assert.Equal(f1.NextUInt64(), f1b.NextUInt64());
        Assert.NotEqual(parent.Fork(1).NextUInt64(), f2.NextUInt64());
        Assert.Equal(before, parent.NextUInt64()); // Fork does not advance the parent
    }
}
