using System.Text.Json;

namespace Hush.Imaging.Tests;

/// <summary>Locates the shared test data (a sibling of the repository) and converts images for comparison.</summary>
internal static class TestData
{
    /// <summary>The <c>shared</c> directory that holds data/ and reference/.</summary>
    public static string SharedDir => Hush.Testing.SharedData.Root;

    public static string PngSuiteDir => Path.Combine(SharedDir, "data", "pngsuite");

    public static string PngSuite(string name) => Path.Combine(PngSuiteDir, "png", name);

    public static string Data(params string[] parts) => Path.Combine([SharedDir, "data", .. parts]);

    public static string Reference(params string[] parts) => Path.Combine([SharedDir, "reference", .. parts]);

    public static int[] ReadJsonPixels(string path) => JsonSerializer.Deserialize<int[]>(File.ReadAllText(path))!;

    /// <summary>Interleaved RGBA at <paramref name="maxValue"/> scale: grey is repeated, missing alpha is opaque.</summary>
    public static int[] ToRgba(Image image, int maxValue)
    {
        int n = image.Width * image.Height;
        var rgba = new int[4 * n];
        for (int p = 0; p < n; p++)
        {
            for (int c = 0; c < 3; c++)
            {
                int source = image.Channels == 1 ? 0 : c;
                rgba[4 * p + c] = Quantize(image.Data[source * n + p], maxValue);
            }
            rgba[4 * p + 3] = image.Alpha is null ? maxValue : Quantize(image.Alpha[p], maxValue);
        }
        return rgba;
    }

    public static int Quantize(float v, int maxValue) => (int)MathF.Round(v * maxValue);

    /// <summary>A random image whose samples sit exactly on the grid of <paramref name="bitDepth"/>.</summary>
    public static Image RandomImage(int width, int height, int channels, bool alpha, int bitDepth, int seed)
    {
        var random = new Random(seed);
        int max = (1 << bitDepth) - 1;
        var data = new float[width * height * channels];
        for (int i = 0; i < data.Length; i++)
            data[i] = random.Next(max + 1) / (float)max;
        float[]? alphaPlane = null;
        if (alpha)
        {
            alphaPlane = new float[width * height];
            for (int i = 0; i < alphaPlane.Length; i++)
                alphaPlane[i] = random.Next(max + 1) / (float)max;
        }
        return new Image(width, height, channels, data, bitDepth, alphaPlane);
    }
}
