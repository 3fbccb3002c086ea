using Hush.Denoising.Inference;
using Hush.Denoising.Training;
using Hush.Engine;
using Hush.Imaging;

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

    /// <summary>An untrained network for <paramref name="channels"/> colour channels, whose parameters a saved model
    /// fills in (<see cref="DenoiseModel"/>): same shapes, same order as a trained one's.</summary>
    ITrainedModel CreateModel(int channels);

    /// <summary>One image on its own: train on all of it, then one whole-image pass in the training arena.</summary>
    float[] IDenoisingMethod.Denoise(Image noisy, TrainingContext context, out float finalLoss)
    {
        var model = Train(new TrainingSource(noisy), context, out finalLoss);
        return TiledInference.Run(model, noisy, tile: int.MaxValue, context.Arena);
    }

    /// <summary>The pair downsampler of the ZS-N2N family needs 2×2 pixels in every training image.</summary>
    protected static void RequirePairs(TrainingSource source, string method)
    {
        var (width, height) = source.SmallestSize;
        if (width < 2 || height < 2)
            throw new ArgumentException($"{method} needs at least 2x2 pixels, got {width}x{height}");
    }
}

/// <summary>A trained network that maps a noisy image to its denoised version.</summary>
internal interface ITrainedModel
{
    int ReceptiveRadius { get; }

    /// <summary>The network's parameters, in a fixed order (what a saved model holds).</summary>
    IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>x [1,C,H,W] → denoised [1,C,H,W], clamped to [0,1]. Called without gradients, inside an arena.</summary>
    Tensor Apply(Tensor x);
}
