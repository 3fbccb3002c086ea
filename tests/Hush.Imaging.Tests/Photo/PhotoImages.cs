namespace Hush.Imaging.Tests.Photo;

/// <summary>Small deterministic images and a PSNR for the photo-format tests.</summary>
internal static class PhotoImages
{
    /// <summary>A smooth colour (or grey) image with an edge: what JPEG is made for, plus something it blurs.</summary>
    public static Image Smooth(int width, int height, int channels)
    {
        var data = new float[channels * width * height];
        for (int c = 0; c < channels; c++)
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                {
                    float ramp = (x + 2f * y + 40f * c) / (width + 2f * height + 80f);
                    data[(c * height + y) * width + x] = x > width / 2 && y > height / 2 ? 1f - ramp : ramp;
                }
        return new Image(width, height, channels, data);
    }

    /// <summary>Every sample a multiple of 1/255, so 8-bit lossless formats must return it exactly.</summary>
    public static Image EightBit(int width, int height, int channels, float[]? alpha = null)
    {
        var data = new float[channels * width * height];
        for (int i = 0; i < data.Length; i++)
            data[i] = (i * 37 % 256) / 255f;
        return new Image(width, height, channels, data, 8, alpha);
    }

    /// <summary>PSNR in dB over all colour samples, peak 1.</summary>
    public static double Psnr(Image a, Image b)
    {
        Assert.Equal((a.Width, a.Height, a.Channels), (b.Width, b.Height, b.Channels));
        double sum = 0;
        for (int i = 0; i < a.Data.Length; i++)
        {
            double d = a.Data[i] - b.Data[i];
            sum += d * d;
        }
        return 10 * Math.Log10(1 / (sum / a.Data.Length));
    }

    /// <summary>A folder for one test, deleted afterwards.</summary>
    public sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("hush-photo-").FullName;

        public string File(string name) => System.IO.Path.Combine(Path, name);

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
