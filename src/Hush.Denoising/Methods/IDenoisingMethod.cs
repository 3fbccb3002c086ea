using Hush.Denoising.Training;
using Hush.Imaging;

namespace Hush.Denoising.Methods;

/// <summary>A zero-shot method: trains on the noisy image alone and returns it denoised.</summary>
internal interface IDenoisingMethod
{
    string Name { get; }

    /// <summary>Returns the denoised colour data, planar [c][y][x], same length as the input's.</summary>
    float[] Denoise(Image noisy, TrainingContext context, out float finalLoss);
}
