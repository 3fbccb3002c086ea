using Hush.Engine;
using Hush.Imaging;

namespace Hush.Denoising;

/// <summary>The one crossing between images and tensors: planar [c][y][x] colour data is already NCHW
/// with N=1, so this is a copy (the tensor must not alias the caller's image).</summary>
internal static class ImageTensors
{
    /// <summary>Image → [1,C,H,W] tensor of its colour channels (alpha is never a network input).</summary>
    public static Tensor ToTensor(Image image) =>
        Tensor.FromArray((float[])image.Data.Clone(), 1, image.Channels, image.Height, image.Width);

    /// <summary>The rectangle (x, y, w, h) of the image's colour channels → [1,C,h,w] tensor, in
    /// <paramref name="buffer"/> when it has the right length (tiles and patches of one size reuse one array instead of
    /// leaving a large one behind for the garbage collector at every step).</summary>
    public static Tensor ToTensor(Image image, int x, int y, int w, int h, float[]? buffer = null)
    {
        int length = image.Channels * h * w;
        var data = buffer?.Length == length ? buffer : new float[length];
        for (int c = 0; c < image.Channels; c++)
        {
            var plane = image.Plane(c);
            for (int row = 0; row < h; row++)
                plane.Slice((y + row) * image.Width + x, w).CopyTo(data.AsSpan((c * h + row) * w, w));
        }
        return Tensor.FromArray(data, 1, image.Channels, h, w);
    }
}
