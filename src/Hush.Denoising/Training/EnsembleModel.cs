using Hush.Denoising.Masking;
using Hush.Denoising.Methods;
using Hush.Engine;
using Hush.Imaging;

namespace Hush.Denoising.Training;

/// <summary>One stochastic pass of a Self2Self-family network over a masked image: it draws the flip, mask and dropout
/// from <paramref name="rng"/> and returns the padded output with the flip variant it used.</summary>
internal delegate (Tensor Output, int Variant) EnsemblePass(MaskedImage image, Rng rng);

/// <summary>A trained Self2Self-family network with what its prediction needs: whether the passes flip the image, how
/// many passes are averaged, and the seed whose prediction stream draws their flips, masks and dropout. Predicting
/// runs exactly the passes a denoise run ends with, so on the image it was trained on it gives that run's output bit
/// for bit (same thread count and SIMD path). Every pass sees the whole padded image, so it never runs tile by tile.</summary>
internal sealed class EnsembleModel(IReadOnlyList<Tensor> parameters, bool flips, int passes, ulong seed, EnsemblePass pass) : ITrainedModel
{
    /// <summary>The whole image: the U-Nets pool down to 1/32 and pad to multiples of 32.</summary>
    public int ReceptiveRadius => int.MaxValue;

    /// <summary>The seed whose prediction stream the passes draw from.</summary>
    public ulong Seed => seed;

    public IReadOnlyList<Tensor> Parameters => parameters;

    /// <summary>How many passes a prediction averages.</summary>
    public int Passes => passes;

    /// <summary>One pass (training steps and checkpoint passes use it directly).</summary>
    public (Tensor Output, int Variant) Pass(MaskedImage image, Rng rng) => pass(image, rng);

    /// <summary>Not one pass of a network: the output is <see cref="Predict"/>'s mean over whole-image passes.</summary>
    public Tensor Apply(Tensor x) => throw new NotSupportedException("an ensemble model denoises whole images: use Predict");

    /// <summary>The mean of the passes over <paramref name="noisy"/>, drawn from the seed's prediction stream, in
    /// <paramref name="context"/>'s arena (each pass reported as an Ensemble progress step).</summary>
    public float[] Predict(Image noisy, TrainingContext context)
    {
        var image = new MaskedImage(noisy, flips);
        return EnsembleRun.Predict(image, r => pass(image, r), EnsembleRun.PredictionRng(seed), passes, context, report: true);
    }
}
