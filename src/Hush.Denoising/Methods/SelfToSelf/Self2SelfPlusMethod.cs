using Hush.Denoising.Training;
using Hush.Engine;
using Hush.Imaging;

namespace Hush.Denoising.Methods.SelfToSelf;

/// <summary>
/// Self2Self+ (Ko &amp; Lee, arXiv 2307.10695), per methods.md §3a and the official code: each step draws a Bernoulli
/// mask M (per channel and pixel, keep 1 − p), feeds concat(M, M⊙y) to the gated-convolution U-Net and minimises the
/// L1 error on the dropped samples, Σ|out − y|⊙(1 − M) / Σ(1 − M) (plus the optional IQA term on the output cropped
/// to the image, off by default),
/// with Adam at a constant 4e-4. Prediction: the mean of N passes (default 500), each with a fresh mask and dropout.
/// Sides that are not multiples of 32 are reflect-padded and cropped back. Works for any channel count.
/// </summary>
internal sealed class Self2SelfPlusMethod : IDenoisingMethod
{
    public const float DefaultMaskProbability = 0.4f, DefaultLearningRate = 4e-4f;
    public const int DefaultPasses = 500;

    public string Name => "self2self-plus";

    public float[] Denoise(Image noisy, TrainingContext context, out float finalLoss)
    {
        var s = context.Options.SelfToSelf;
        float p = s.MaskProbability ?? DefaultMaskProbability;
        float dropout = s.DropoutRate ?? p; // the official code uses the same p for both
        var image = new MaskedImage(noisy, flips: false);
        var init = new Rng(context.Seed);
        var rng = init.Fork(1); // masks and dropout
        var net = new Self2SelfPlusNetwork(2 * image.Channels, image.Channels, dropout, init);
        var quality = s.QualityTerm;

        Tensor Input(Rng r)
        {
            image.DrawMask(r, p);
            var mask = Tensor.FromArray(image.Keep, image.Shape);
            return Ops.ConcatChannels(mask, Ops.Mul(mask, image.Variant(0)));
        }

        Tensor Loss()
        {
            var input = Input(rng);
            int count = image.DrawnCount;
            var output = net.Forward(input, rng);
            var loss = image.Loss(output, 0, count, l1: true);
            if (quality is null) return loss;
            bool padded = image.PaddedHeight != image.Height || image.PaddedWidth != image.Width;
            return Ops.Add(loss, quality.Loss(padded ? Ops.Crop2d(output, 0, 0, image.Height, image.Width) : output));
        }

        return SelfToSelfRun.TrainAndPredict(image, net.Parameters(), Loss, r => (net.Forward(Input(r), r), 0), rng,
            context.Options.EffectiveLearningRate, s.Passes ?? DefaultPasses, context, out finalLoss);
    }
}
