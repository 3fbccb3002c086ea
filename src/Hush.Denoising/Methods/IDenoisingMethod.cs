using Hush.Denoising.Training;
using Hush.Imaging;

namespace Hush.Denoising.Methods;

/// <summary>A zero-shot method: trains on the noisy image alone and returns it denoised.
/// Its name, defaults and settings live in its <see cref="MethodDescriptor"/>.</summary>
internal interface IDenoisingMethod
{
    /// <summary>Loads what the settings name (weights files) when the denoiser is made, before any training.</summary>
    void Prepare(DenoiseOptions options)
    {
    }

    /// <summary>Returns the denoised colour data, planar [c][y][x], same length as the input's.</summary>
    float[] Denoise(Image noisy, TrainingContext context, out float finalLoss);
}
