using Hush.Denoising.Training;
using Hush.Engine;

namespace Hush.Denoising.Methods;

/// <summary>A method whose training and inference are separate steps: it trains a model from a
/// <see cref="TrainingSource"/> (one image, several stack planes in turn, or random patches of a huge image) and
/// hands the model back, so one model can denoise many planes and run tile by tile.</summary>
internal interface ITrainableMethod : IDenoisingMethod
{
    /// <summary>How far (in pixels) an output pixel of the network sees: tiles need a halo at least this wide for
    /// tiled output to equal whole-image output.</summary>
    int ReceptiveRadius { get; }

    ITrainedModel Train(TrainingSource source, TrainingContext context, out float finalLoss);
}

/// <summary>A trained network that maps a noisy image to its denoised version.</summary>
internal interface ITrainedModel
{
    int ReceptiveRadius { get; }

    /// <summary>x [1,C,H,W] → denoised [1,C,H,W], clamped to [0,1]. Called without gradients, inside an arena.</summary>
    Tensor Apply(Tensor x);
}
