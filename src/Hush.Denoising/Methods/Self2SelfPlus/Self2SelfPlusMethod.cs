using Hush.Denoising.Masking;
using Hush.Denoising.Networks;
using Hush.Denoising.Quality.PaQ2PiQ;
using Hush.Denoising.Training;
using Hush.Engine;
using Hush.Imaging;

namespace Hush.Denoising.Methods.Self2SelfPlus;

/// <summary>
/// Self2Self+ (Ko &amp; Lee, arXiv 2307.10695; docs/methods/self2self-plus.md), after the official code: each step draws a Bernoulli
/// mask M (per channel and pixel, keep 1 − p), feeds concat(M, M⊙y) to the gated-convolution U-Net and minimises the
/// L1 error on the dropped samples, Σ|out − y|⊙(1 − M) / Σ(1 − M) (plus the optional IQA term on the output cropped
/// to the image, off by default),
/// with Adam at a constant 4e-4. Prediction: the mean of N passes (default 500), each with a fresh mask and dropout,
/// drawn from the seed alone (<see cref="EnsembleModel"/>), so a saved model repeats them.
/// Sides that are not multiples of 32 are reflect-padded and cropped back. Works for any channel count.
/// </summary>
internal sealed class Self2SelfPlusMethod : IEnsembleMethod
{
    /// <summary>The no-reference quality term, loaded by <see cref="Prepare"/> from the settings' weights (or set by
    /// tests); null = off.</summary>
    internal INoReferenceQualityTerm? QualityTerm { get; set; }

    /// <summary>Loads the IQA weights once per denoiser, before any training, so a bad file fails at once.</summary>
    public void Prepare(DenoiseOptions options)
    {
        var s = options.OptionsOf<Self2SelfPlusOptions>();
        if (s.IqaWeights is string path) QualityTerm = LoadTerm(path, s.IqaWeight);
    }

    private static PaQ2PiQQualityTerm LoadTerm(string path, float lambda)
    {
        try
        {
            return PaQ2PiQQualityTerm.Load(path, lambda);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"iqa-weights {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"iqa-weights {path}: cannot read: {e.Message}", e);
        }
    }

    public EnsembleModel Train(Image noisy, TrainingContext context, out float finalLoss)
    {
        var image = new MaskedImage(noisy, flips: false);
        var init = new Rng(context.Seed);
        var rng = init.Fork(1); // training masks and dropout
        var model = Create(image.Channels, context.Options, context.Seed, init);
        var quality = QualityTerm;

        Tensor Loss()
        {
            var (output, _) = model.Pass(image, rng);
            var loss = image.Loss(output, 0, image.DrawnCount, l1: true);
            if (quality is null) return loss;
            bool padded = image.PaddedHeight != image.Height || image.PaddedWidth != image.Width;
            return Ops.Add(loss, quality.Loss(padded ? Ops.Crop2d(output, 0, 0, image.Height, image.Width) : output));
        }

        finalLoss = EnsembleRun.Train(image, model.Parameters, Loss, r => model.Pass(image, r), rng,
            context.Options.EffectiveLearningRate, context);
        return model;
    }

    public EnsembleModel CreateModel(int channels, DenoiseOptions options, ulong seed) => Create(channels, options, seed, new Rng(seed));

    /// <summary>The network, its weights drawn from <paramref name="init"/>, and its pass: concat(M, M⊙y) with a fresh
    /// mask M, and fresh dropout.</summary>
    private static EnsembleModel Create(int channels, DenoiseOptions options, ulong seed, Rng init)
    {
        var s = options.OptionsOf<Self2SelfPlusOptions>();
        float p = s.MaskProbability;
        var net = new Self2SelfPlusNetwork(2 * channels, channels, s.EffectiveDropoutRate, init);
        return new EnsembleModel(net.Parameters().ToArray(), flips: false, s.Passes, seed, (image, r) =>
        {
            image.DrawMask(r, p);
            var mask = Tensor.FromArray(image.Keep, image.Shape);
            return (net.Forward(Ops.ConcatChannels(mask, Ops.Mul(mask, image.Variant(0))), r), 0);
        });
    }
}
