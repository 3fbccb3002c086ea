using Hush.Imaging;

namespace Hush.Denoising.Decorrelation;

/// <summary>Pixel-shuffle downsampling (the PD of AP-BSN, Lee et al., CVPR 2022): an image is split into s² sub-images,
/// sub-image (i, j) holding the pixels (y·s + i, x·s + j). Neighbours in a sub-image are s pixels apart in the image,
/// so noise whose correlation dies out within s pixels is pixel-independent there, as ZS-N2N's pair downsampler and the
/// blind-spot methods assume. <see cref="Merge"/> puts the denoised sub-images back.</summary>
/// <remarks>Sides that are not multiples of s are extended by mirroring the last rows and columns (without repeating
/// the edge), so every sub-image has the same size; <see cref="Merge"/> drops the extension again. Alpha is not
/// split: <see cref="Merge"/> takes the original's.</remarks>
internal static class PixelShuffle
{
    /// <summary>The s² sub-images of <paramref name="image"/>, row-major over (i, j).</summary>
    public static Image[] Split(Image image, int stride)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 2);
        int w = image.Width, h = image.Height;
        int subW = (w + stride - 1) / stride, subH = (h + stride - 1) / stride;
        var subs = new Image[stride * stride];
        for (int i = 0; i < stride; i++)
            for (int j = 0; j < stride; j++)
            {
                var data = new float[subW * subH * image.Channels];
                for (int c = 0; c < image.Channels; c++)
                {
                    var plane = image.Plane(c);
                    int offset = c * subW * subH;
                    for (int y = 0; y < subH; y++)
                    {
                        int sy = Mirror(y * stride + i, h);
                        for (int x = 0; x < subW; x++) data[offset + y * subW + x] = plane[sy * w + Mirror(x * stride + j, w)];
                    }
                }
                subs[i * stride + j] = new Image(subW, subH, image.Channels, data, image.BitDepth);
            }
        return subs;
    }

    /// <summary>The image of <paramref name="original"/>'s size whose pixel (y·s + i, x·s + j) is pixel (y, x) of
    /// sub-image (i, j); alpha and bit depth from <paramref name="original"/>.</summary>
    public static Image Merge(Image[] subs, int stride, Image original)
    {
        int w = original.Width, h = original.Height, channels = original.Channels;
        if (subs.Length != stride * stride) throw new ArgumentException($"expected {stride * stride} sub-images, got {subs.Length}", nameof(subs));
        var data = new float[w * h * channels];
        for (int i = 0; i < stride; i++)
            for (int j = 0; j < stride; j++)
            {
                var sub = subs[i * stride + j];
                for (int c = 0; c < channels; c++)
                {
                    var plane = sub.Plane(c);
                    for (int y = i; y < h; y += stride)
                        for (int x = j; x < w; x += stride)
                            data[c * w * h + y * w + x] = plane[(y / stride) * sub.Width + x / stride];
                }
            }
        return original.WithData(data);
    }

    /// <summary>Index <paramref name="k"/> mirrored into [0, n) without repeating the edge (…, n−2, n−1, n−2, …).</summary>
    private static int Mirror(int k, int n) => n == 1 ? 0 : k < n ? k : Math.Max(0, 2 * (n - 1) - k);
}
