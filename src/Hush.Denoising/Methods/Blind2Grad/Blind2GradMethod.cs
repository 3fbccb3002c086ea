using Hush.Denoising.Masking;
using Hush.Denoising.Networks;
using Hush.Denoising.Training;
using Hush.Engine;
using Hush.Imaging;

namespace Hush.Denoising.Methods.Blind2Grad;

/// <summary>
/// Blind2Grad (Song, Shuai, Si, Li, AIMS Mathematics 2025; docs/methods/blind2grad.md), reconstructed (see
/// <see cref="Blind2GradOptions"/>): every step draws the mask Ω (<see cref="DualMask"/>: Bernoulli in the first cycle,
/// then reallocated from detail to flat pixels by |y − x_m|), predicts f(Ω(y)) and, when ω &gt; 0, f(y), and takes an
/// Adam step on Eq. 3.9 (<see cref="Blind2GradLoss"/>). Every <see cref="Blind2GradOptions.CycleLength"/> steps the
/// estimate x_m = f(y) (mean of a few stochastic passes) is recomputed and the mask reallocated (the recurrent "B2G"
/// loop, Eq. 3.10). Prediction: the mean of N passes f(Ω(y)), each with a fresh mask from the current distribution and
/// fresh T-standout draws, as Self2Self. Sides that are not multiples of 32 are reflect-padded and cropped back.
/// With the stopping rule a tenth of the pixels is held out of the loss (<see cref="HeldOutSamples"/>), and the kept
/// weights predict with the mask distribution of their step.
/// </summary>
internal sealed class Blind2GradMethod : IDenoisingMethod
{
    public float[] Denoise(Image noisy, TrainingContext context, out float finalLoss)
    {
        var o = context.Options.OptionsOf<Blind2GradOptions>();
        var image = new MaskedImage(noisy, flips: false);
        var init = new Rng(context.Seed);
        var rng = init.Fork(1); // masks, T-standout and dropout
        var net = new Blind2GradNetwork(image.Channels, o, init);
        var mask = new DualMask(image.Channels, image.Height, image.Width, image.PaddedHeight, image.PaddedWidth,
            o.MaskRate, o.DetailThreshold, o.DetailMaskRatio);
        var y = image.Variant(0);
        int[] pixelShape = [1, 1, image.PaddedHeight, image.PaddedWidth];
        var visible = Tensor.FromArray(Enumerable.Repeat(1f, image.PaddedHeight * image.PaddedWidth).ToArray(), pixelShape);
        int step = context.Resume?.StartStep ?? 0;
        float[]? estimate = null; // the x_m the mask was last reallocated from: a checkpoint carries it
        if (o.DualMask)
            context.Resume?.Carry(state => { if (estimate is not null) state.Put("b2g.estimate", estimate); },
                state => mask.Reallocate(y.Data, estimate = state.Array("b2g.estimate", y.Length)), after: o.CycleLength);

        if (context.EarlyStop is { } rule)
        {
            var heldOut = new HeldOutSamples(image.Channels, image.Height, image.Width, image.PaddedHeight, image.PaddedWidth,
                wholePixels: true, new Rng(context.Seed).Fork(HeldOutSamples.DrawStream), context.Seed);
            mask.HoldOut(heldOut.Indices);
            float[]? keptEstimate = null; // the mask distribution of the kept weights: passes after training draw from it
            rule.Attach(net.Parameters(), () => heldOut.Loss(Masked, mask.KeepSamples, y.Data, context.Arena),
                () => keptEstimate = estimate,
                () => { if (keptEstimate is null) mask.Reset(); else mask.Reallocate(y.Data, keptEstimate); });
        }

        Tensor Masked(Rng r)
        {
            mask.Draw(r);
            var keep = Tensor.StepConstant(mask.KeepSamples, image.Shape);
            return net.Forward(Ops.Mul(keep, y), Tensor.StepConstant(mask.KeepPixels, pixelShape), r);
        }

        Tensor Loss()
        {
            if (o.DualMask && step > 0 && step % o.CycleLength == 0) mask.Reallocate(y.Data, estimate = Estimate());
            step++;
            var masked = Masked(rng);
            Tensor? unmasked = null;
            if (o.Omega > 0f)
            {
                if (!o.DetachUnmaskedPrediction) unmasked = net.Forward(y, visible, rng);
                else using (Autograd.NoGradOnThisThread()) unmasked = net.Forward(y, visible, rng).Detach();
            }
            return Blind2GradLoss.Compute(masked, unmasked, y, mask.Dropped, mask.DroppedCount, o.Omega, o.Gamma, o.GradientOperator);
        }

        // x_m = f(y), the mean of a few stochastic passes, copied out of the step's arena.
        float[] Estimate()
        {
            var sum = new float[y.Length];
            using (Autograd.NoGradOnThisThread())
            {
                for (int k = 0; k < o.EstimatePasses; k++)
                {
                    float[] pass = net.Forward(y, visible, rng).Data;
                    for (int i = 0; i < sum.Length; i++) sum[i] += pass[i] / o.EstimatePasses;
                }
            }
            return sum;
        }

        finalLoss = EnsembleRun.Train(image, net.Parameters(), Loss, r => (Masked(r), 0), rng,
            context.Options.EffectiveLearningRate, o.Passes, context);
        // The passes continue the training stream, except under the stopping rule: there they draw from a stream of
        // their own, so the kept weights predict as a run that ended at the kept step would.
        var passes = context.EarlyStop is null ? rng : EnsembleRun.PredictionRng(context.Seed);
        return EnsembleRun.Predict(image, r => (Masked(r), 0), passes, o.Passes, context, report: true);
    }
}
