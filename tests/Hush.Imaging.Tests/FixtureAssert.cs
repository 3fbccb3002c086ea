namespace Hush.Imaging.Tests;

/// <summary>Runs a decode that must fail, under a time limit, measuring what it allocated.</summary>
internal static class FixtureAssert
{
    /// <summary>Managed bytes a rejected fixture may allocate: far below any size the malformed headers claim.</summary>
    public const long MaxAllocatedBytes = 16L << 20;

    public static ImageFormatException RejectsWithin(Action decode, TimeSpan limit)
    {
        var (error, allocated) = RunWithin(decode, limit);
        var e = Assert.IsType<ImageFormatException>(error);
        Assert.True(allocated < MaxAllocatedBytes, $"the decoder allocated {allocated} bytes before rejecting the file");
        return e;
    }

    /// <summary>Runs <paramref name="action"/> on its own thread; returns what it threw (null if nothing) and the bytes it allocated.</summary>
    public static (Exception? Error, long Allocated) RunWithin(Action action, TimeSpan limit)
    {
        Exception? error = null;
        long allocated = 0;
        var thread = new Thread(() =>
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                action();
            }
            catch (Exception e)
            {
                error = e;
            }
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }, maxStackSize: 4 << 20) { IsBackground = true };
        thread.Start();
        if (!thread.Join(limit))
            Assert.Fail($"decoding did not finish within {limit.TotalSeconds} s (a loop that never ends?)");
        return (error, allocated);
    }
}
