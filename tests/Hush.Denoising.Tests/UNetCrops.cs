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
}
