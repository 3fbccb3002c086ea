using Hush.Engine.Kernels;

namespace Hush.Engine.Tests;

/// <summary>The kernels' scratch pool: size classes, reuse, and the per-thread buffers (what a thread gives back with
/// ReturnLocal comes back to that thread only, so how many buffers each thread holds does not depend on how the threads
/// overlapped in warm-up).</summary>
public class ScratchTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(16, 16)]
    [InlineData(17, 18)]
    [InlineData(1000, 1024)]
    [InlineData(1025, 1152)]
    [InlineData(201_702_400, 201_326_592 + 16_777_216)] // a 2050×2050×48 padded buffer: 12.5 % over at most
    public void SizeClassesRoundUpByAtMostAnEighth(int length, long expected)
    {
        long size = Scratch.SizeClass(length);
        Assert.Equal(expected, size);
        Assert.True(size >= length && size <= length * 1.125 + 16);
    }

    [Fact]
    public void ReturnedBuffersAreReusedByTheirClass()
    {
        using var context = TestUtil.Threads(1); // a pool no other test rents from
        float[] a = Scratch.Rent(3_333_333);
        Scratch.Return(a);
        Assert.Same(a, Scratch.Rent(3_300_000));
        Scratch.Return(new float[3_333_333]); // not a size class: ignored
        Assert.NotEqual(3_333_333, Scratch.Rent(3_333_333).Length);
    }

    [Fact]
    public void ALocalBufferComesBackToItsOwnThreadOnly()
    {
        const int length = 12_345; // a size class no kernel in these tests uses
        float[] mine = Scratch.RentLocal(length);
        Assert.True(mine.Length >= length);
        Scratch.ReturnLocal(mine);

        float[]? other = null;
        var thread = new Thread(() =>
        {
            other = Scratch.RentLocal(length);
            Scratch.ReturnLocal(other);
        });
        thread.Start();
        thread.Join();

        Assert.NotNull(other);
        Assert.NotSame(mine, other); // the other thread did not take this thread's buffer
        Assert.Same(mine, Scratch.RentLocal(length)); // and this thread gets its own back
        float[] second = Scratch.RentLocal(length); // two at once: the second is another buffer
        Assert.NotSame(mine, second);
        Scratch.ReturnLocal(second);
        Scratch.ReturnLocal(mine);
    }

    [Fact]
    public void LocalBuffersAreKeptBySizeClass()
    {
        float[] small = Scratch.RentLocal(1000), large = Scratch.RentLocal(100_000);
        Scratch.ReturnLocal(small);
        Scratch.ReturnLocal(large);
        Assert.Same(large, Scratch.RentLocal(99_000)); // same size class as 100 000 (eight classes per octave)
        Assert.Same(small, Scratch.RentLocal(1000));
        Assert.Equal(Scratch.SizeClass(1000), small.Length);
    }

    [Fact]
    public void TrimmingKeepsOnlyTheSizesRentedSinceTheLastTrim()
    {
        var pool = new ScratchPool();
        float[] a = pool.Rent(50_000), b = pool.Rent(300_000);
        pool.Return(a);
        pool.Return(b);
        pool.TrimUnused(); // both were rented in this generation: both kept
        Assert.Equal(1, pool.Generation);
        Assert.Same(a, pool.Rent(50_000));
        pool.Return(a);
        pool.TrimUnused(); // only a's size was rented since: b's goes back to the GC
        Assert.Equal(2, pool.Generation);
        Assert.NotSame(b, pool.Rent(300_000));
        Assert.Same(a, pool.Rent(50_000));
    }

    [Fact]
    public void ALocalBufferOfAnEarlierGenerationIsDroppedWhenTheThreadGivesBackAnother()
    {
        using var context = TestUtil.Threads(5); // a context of its own (no other test borrows five threads)
        const int length = 23_456, other = 7_777;
        float[] old = Scratch.RentLocal(length);
        Scratch.ReturnLocal(old);
        Assert.Same(old, Scratch.RentLocal(length)); // same generation: kept
        Scratch.ReturnLocal(old);
        context.Context.Scratch.TrimUnused(); // the call is over
        Scratch.ReturnLocal(Scratch.RentLocal(other)); // the next call's first give-back drops the old buffer
        Assert.NotSame(old, Scratch.RentLocal(length));
    }
}
