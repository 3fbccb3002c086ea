using Hush.Imaging;
using Hush.Testing;

namespace Hush.Denoising.Tests;

/// <summary>Small real crops for the U-Net methods' tests.</summary>
internal static class UNetCrops
{
    /// <summary>The 32×32 crop at (112, 112) of a shared data image: one U-Net input block (a 64×64 crop costs about
    /// 0.3 s per step at 2 threads, too slow for a unit test).</summary>
    public static Image Crop32(string set, string file) =>
        ImageFile.Read(SharedData.PathOf("data", set, file)).Crop(112, 112, 32, 32);

    /// <summary>Two runs with <paramref name="options"/> (seed 42) give bit-identical outputs and losses, seed 43 a
    /// different output, and the output has the input's shape (a 20×17 RGB crop).</summary>
    public static void AssertRepeatableAndSeeded(DenoiseOptions options, Image noisy)
    {
        var a = new Denoiser(options).Denoise(noisy);
        var b = new Denoiser(options).Denoise(noisy);
        Assert.Equal(a.Output.Data, b.Output.Data);
        Assert.Equal(a.FinalLoss, b.FinalLoss);
        var c = new Denoiser(options with { Seed = 43 }).Denoise(noisy);
        Assert.NotEqual(a.Output.Data, c.Output.Data);
        Assert.Equal((noisy.Width, noisy.Height, noisy.Channels), (a.Output.Width, a.Output.Height, a.Output.Channels));
    }
}
