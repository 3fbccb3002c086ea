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
}
