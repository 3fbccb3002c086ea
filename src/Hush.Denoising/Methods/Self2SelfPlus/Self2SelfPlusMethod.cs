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
/// Real-noise options from Self2Self's official code (off by default): the masked input re-corrupted with
/// Poisson(λ·M⊙y)/λ, and the output taken as a running average of the training steps' outputs instead of the passes
/// (such a run leaves no reusable model: its output is not the network's passes).
/// Sides that are not multiples of 32 are reflect-padded and cropped back. Works for any channel count. With the stopping
/// rule a tenth of the samples is held out of the loss (<see cref="HeldOutSamples"/>).
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

    /// <summary>The output is the network's passes unless it is the running average of the training outputs.</summary>
    public bool PredictsByPasses(DenoiseOptions options) => options.OptionsOf<Self2SelfPlusOptions>().OutputEma is null;

    public EnsembleModel Train(Image noisy, TrainingContext context, out float finalLoss) =>
        Train(noisy, context, averaged: false, out finalLoss, out _);

    /// <summary>With <see cref="Self2SelfPlusOptions.OutputEma"/>, the running average of the training outputs;
    /// else the passes of the trained network.</summary>
    float[] IDenoisingMethod.Denoise(Image noisy, TrainingContext context, out float finalLoss)
    {
        bool averaged = !PredictsByPasses(context.Options);
        var model = Train(noisy, context, averaged, out finalLoss, out var average);
        return averaged ? average! : model.Predict(noisy, context);
    }

    private EnsembleModel Train(Image noisy, TrainingContext context, bool averaged, out float finalLoss, out float[]? result)
    {
        var s = context.Options.OptionsOf<Self2SelfPlusOptions>();
        var image = new MaskedImage(noisy, flips: false);
        var init = new Rng(context.Seed);
        var rng = init.Fork(1); // training masks and dropout
        var model = Create(image.Channels, context.Options, context.Seed, init);
        var quality = QualityTerm;
        float[]? average = null; // the running average of the outputs (OutputEma), padded

        // avg ← w·avg + (1 − w)·out, from the first output on (the official code starts from zeros: see the docs).
        void Track(Tensor output, float w)
        {
            float[] o = output.Data;
            if (average is null) { average = (float[])o.Clone(); return; }
            for (int i = 0; i < o.Length; i++) average[i] = w * average[i] + (1 - w) * o[i];
        }

        Tensor Loss()
        {
            var (output, _) = model.Pass(image, rng);
            if (averaged) Track(output, s.OutputEma!.Value);
            var loss = image.Loss(output, 0, image.DrawnCount, l1: true);
            if (quality is null) return loss;
            bool padded = image.PaddedHeight != image.Height || image.PaddedWidth != image.Width;
            return Ops.Add(loss, quality.Loss(padded ? Ops.Crop2d(output, 0, 0, image.Height, image.Width) : output));
        }

        result = null;
        if (context.EarlyStop is { } rule)
        {
            var heldOut = HeldOutSamples.Of(image, new Rng(context.Seed).Fork(HeldOutSamples.DrawStream), context.Seed);
            rule.Attach(model.Parameters, () => heldOut.Loss(r => model.Pass(image, r).Output, image.Keep, image.Variant(0).Data, context.Arena));
        }

        if (averaged) // the average so far is state a checkpoint carries (there is one from the first step on)
            context.Resume?.Carry(state => state.Put("s2s+.output-ema", average!), state => average = state.Array("s2s+.output-ema",
                image.Channels * image.PaddedHeight * image.PaddedWidth));
        if (averaged)
            result = EnsembleRun.TrainAndAverage(image, model.Parameters, Loss, () => average!, rng,
                context.Options.EffectiveLearningRate, context, out finalLoss);
        else
            finalLoss = EnsembleRun.Train(image, model.Parameters, Loss, r => model.Pass(image, r), rng,
                context.Options.EffectiveLearningRate, model.Passes, context);
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
            var mask = Tensor.StepConstant(image.Keep, image.Shape);
            var masked = Ops.Mul(mask, image.Variant(0));
            if (s.PoissonRecorruption is float lambda)
                masked = Tensor.StepConstant(PoissonRecorruption.Apply(masked.Data, lambda, r), image.Shape);
            return (net.Forward(Ops.ConcatChannels(mask, masked), r), 0);
        });
    }
}
