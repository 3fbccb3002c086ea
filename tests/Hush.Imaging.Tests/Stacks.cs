namespace Hush.Imaging.Tests;

/// <summary>Random stacks of every sample type, and an exact (bitwise for floats) stack comparison.</summary>
internal static class Stacks
{
    public static readonly SampleType[] AllTypes = Enum.GetValues<SampleType>();

    public static ImageStack Random(string axes, int[] shape, SampleType type, int seed, StackMetadata? metadata = null)
    {
        var random = new Random(seed);
        long count = shape.Aggregate(1L, (a, b) => a * b);
        var exact = new double[count];
        for (long i = 0; i < count; i++)
            exact[i] = Value(random, type, i);
        var data = Array.ConvertAll(exact, v => (float)v);
        return new ImageStack(axes, shape, type, data, type.NeedsExactData() ? exact : null, metadata);
    }

    /// <summary>A value of the type; the first few are the type's extremes (and IEEE specials for floats).</summary>
    private static double Value(Random random, SampleType type, long index)
    {
        double[] specials = type switch
        {
            SampleType.Float32 => [float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0.0, float.MaxValue, -float.MaxValue, float.Epsilon],
            SampleType.Float64 => [double.NaN, double.PositiveInfinity, -0.0, double.MaxValue, double.Epsilon, 0.1],
            _ => [type.MinValue(), type.MaxValue()],
        };
        if (index < specials.Length)
            return specials[index];
        return type switch
        {
            SampleType.Float32 => (float)((random.NextDouble() - 0.3) * 1000),
            SampleType.Float64 => (random.NextDouble() - 0.3) * 1e6,
            _ => Math.Floor(type.MinValue() + random.NextDouble() * (type.MaxValue() - type.MinValue() + 1)),
        };
    }

    public static void AssertSame(ImageStack expected, ImageStack actual)
    {
        Assert.Equal(expected.Axes, actual.Axes);
        Assert.Equal(expected.Shape, actual.Shape);
        Assert.Equal(expected.SampleType, actual.SampleType);
        for (long i = 0; i < expected.Length; i++)
        {
            long want = Bits(expected, i), got = Bits(actual, i);
            if (want != got)
                Assert.Fail($"sample {i}: expected {expected.ValueAt(i)} (0x{want:X}), got {actual.ValueAt(i)} (0x{got:X})");
        }
    }

    private static long Bits(ImageStack stack, long i) => stack.SampleType switch
    {
        SampleType.Float32 => BitConverter.SingleToInt32Bits(stack.Data[i]),
        SampleType.Float64 => BitConverter.DoubleToInt64Bits(stack.ExactData![i]),
        _ => (long)stack.ValueAt(i),
    };
}
