using Hush.Denoising.Training;
using Hush.Imaging;

namespace Hush.Denoising.Methods;

/// <summary>A method whose output is the mean of stochastic passes of a network it trains (the Self2Self methods):
/// training hands that network back with what its passes need, so the same passes can denoise further images
/// (<see cref="DenoiseModel"/>, <see cref="Denoiser.Apply"/>).</summary>
internal interface IEnsembleMethod : IDenoisingMethod
{
    /// <summary>Trains on <paramref name="noisy"/> (whole-image steps) and returns the trained network with its passes.</summary>
    EnsembleModel Train(Image noisy, TrainingContext context, out float finalLoss);

    /// <summary>An untrained network for <paramref name="channels"/> colour channels with the passes
    /// <paramref name="options"/> and <paramref name="seed"/> give; a saved model fills in its parameters (same shapes,
    /// same order as a trained one's).</summary>
    EnsembleModel CreateModel(int channels, DenoiseOptions options, ulong seed);

    /// <summary>Whether a run with <paramref name="options"/> outputs the trained network's passes (and so leaves a
    /// reusable model) rather than something produced during training.</summary>
    bool PredictsByPasses(DenoiseOptions options) => true;

    /// <summary>Train, then the passes over the same image, in the training arena.</summary>
    float[] IDenoisingMethod.Denoise(Image noisy, TrainingContext context, out float finalLoss) =>
        Train(noisy, context, out finalLoss).Predict(noisy, context);
}
