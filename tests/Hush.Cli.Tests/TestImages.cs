using Hush.Imaging;

namespace Hush.Cli.Tests;

/// <summary>Small deterministic test inputs (a few hundred pixels, so a denoise of a few steps takes milliseconds).</summary>
internal static class TestImages
{
    /// <summary>A noisy-looking 8-bit grey PNG, different per <paramref name="seed"/>.</summary>
    public static string Png(string path, int seed = 1, int width = 14, int height = 12)
    {
        var data = new float[width * height];
        for (int i = 0; i < data.Length; i++) data[i] = ((i * 7919 + seed * 104729) % 256) / 255f;
        ImageFile.Write(new Image(width, height, 1, data), path);
        return path;
    }

    /// <summary>A stack with the given axes and shape, samples cycling through the type's lower range.</summary>
    public static string Stack(string path, string axes, int[] shape, SampleType type, Func<long, double>? value = null)
    {
        long length = shape.Aggregate(1L, (a, b) => a * b);
        var data = new float[length];
        for (long i = 0; i < length; i++) data[i] = (float)type.Coerce(value?.Invoke(i) ?? (i * 7919 % 251) * (type == SampleType.UInt16 ? 200 : 1));
        ImageFile.WriteStack(new ImageStack(axes, shape, type, data), path);
        return path;
    }
}
