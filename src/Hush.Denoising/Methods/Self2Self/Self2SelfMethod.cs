using Hush.Denoising.Masking;
using Hush.Denoising.Networks;
using Hush.Denoising.Training;
using Hush.Engine;
using Hush.Imaging;

namespace Hush.Denoising.Methods.Self2Self;

/// <summary>
/// The original Self2Self (Quan et al., CVPR 2020; docs/methods/self2self.md), after the official TF code: each step picks a
/// random flip of the image, draws a Bernoulli mask M (per channel and pixel, keep 0.7 by default), feeds M⊙y and M
/// to the partial-convolution U-Net and minimises the squared error on the dropped samples,
/// Σ(out − y)²⊙(1 − M) / Σ(1 − M), with Adam at a constant 1e-4. Prediction: the mean of N passes (default 100), each
/// with a fresh flip, mask and dropout drawn from the seed alone (a saved model repeats them), flipped back. The published schedule is 150,000 iterations (about an hour per
/// 256² image on a GPU); Hush defaults to 3000, a CPU-practical count (its descriptor's DefaultIterations), so
/// expect less denoising than published unless --iterations is raised.
/// </summary>
internal sealed class Self2SelfMethod : IEnsembleMethod
{
    public EnsembleModel Train(Image noisy, TrainingContext context, out float finalLoss)
    {
        var image = new MaskedImage(noisy, flips: true);
        var init = new Rng(context.Seed);
        var rng = init.Fork(1); // training flips, masks and dropout
        var model = Create(image.Channels, context.Options, context.Seed, init);

        Tensor Loss()
        {
            var (output, v) = model.Pass(image, rng);
            return image.Loss(output, v, image.DrawnCount, l1: false);
        }

        finalLoss = EnsembleRun.Train(image, model.Parameters, Loss, r => model.Pass(image, r), rng,
            context.Options.EffectiveLearningRate, model.Passes, context);
        return model;
    }

    public EnsembleModel CreateModel(int channels, DenoiseOptions options, ulong seed) => Create(channels, options, seed, new Rng(seed));

    /// <summary>The network, its weights drawn from <paramref name="init"/>, and its pass: a fresh flip, mask and dropout.</summary>
    private static EnsembleModel Create(int channels, DenoiseOptions options, ulong seed, Rng init)
    {
        var s = options.OptionsOf<Self2SelfOptions>();
        float p = s.MaskProbability;
        var net = new Self2SelfNetwork(channels, s.DropoutRate, init);
        return new EnsembleModel(net.Parameters().ToArray(), flips: true, s.Passes, seed, (image, r) =>
        {
            int v = (r.NextFloat() < 0.5f ? 1 : 0) | (r.NextFloat() < 0.5f ? 2 : 0);
            image.DrawMask(r, p);
            var mask = Tensor.StepConstant(image.Keep, image.Shape);
            return (net.Forward(Ops.Mul(mask, image.Variant(v)), mask, r), v);
        });
    }
}
