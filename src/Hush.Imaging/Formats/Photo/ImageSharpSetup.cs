using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Memory;

namespace Hush.Imaging.Formats.Photo;

/// <summary>
/// ImageSharp configured for one decode: only the formats Hush reads through it (PNG, PNM and TIFF have their own
/// decoders), and a memory allocator that refuses any buffer larger than the limits allow, so a header that lies
/// about its size fails inside ImageSharp instead of allocating.
/// </summary>
internal static class ImageSharpSetup
{
    public static Configuration For(DecoderLimits limits)
    {
        // Rgba32 is the widest pixel Hush asks for: 4 bytes a pixel, plus slack for the decoder's own planes.
        long bytes = Math.Min(limits.MaxPixels * 4, limits.MaxDecodedBytes);
        int megabytes = (int)Math.Clamp(bytes / (1 << 20) + 1, 1, int.MaxValue);
        return new Configuration(new JpegConfigurationModule(), new BmpConfigurationModule(), new GifConfigurationModule(), new WebpConfigurationModule())
        {
            MemoryAllocator = MemoryAllocator.Create(new MemoryAllocatorOptions { AllocationLimitMegabytes = megabytes, MaximumPoolSizeMegabytes = 0 }),
        };
    }
}
