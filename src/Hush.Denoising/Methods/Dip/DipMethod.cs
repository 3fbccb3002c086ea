using Hush.Denoising.Training;
using Hush.Engine;
using Hush.Engine.Diagnostics;
using Hush.Engine.Optim;
using Hush.Imaging;

namespace Hush.Denoising.Methods.Dip;

/// <summary>
/// Deep Image Prior (Ulyanov, Vedaldi &amp; Lempitsky, CVPR 2018; docs/methods/dip.md), the official denoising
/// notebook's colour setting: a fixed input z ~ U(0, 1)·1/10 with 32 channels; every step feeds z + N(0, (1/30)²) to the
/// skip network (<see cref="DipNetwork"/>) and takes one Adam step (constant rate 0.01) on MSE(output, noisy);
/// the result is the running average of the outputs (<see cref="DipAverage"/>, weight 0.99), with the notebook's
/// rollback on a PSNR drop (<see cref="DipBacktracking"/>). The image never enters the network, so sides that are not
/// multiples of 32 (or are under 64) need no padding of the image: the network draws on a canvas rounded up to the
/// next multiple of 32 (at least 64) and the image sits at its top left; the loss, the PSNR and the average see only
/// the image's region, and the rest is cropped off (the notebook crops the image to multiples of 32 instead).
/// </summary>
internal sealed class DipMethod : IDenoisingMethod
{
    /// <summary>The notebook's get_noise(..., var=1/10): uniform noise scaled by a tenth.</summary>
    public const float InputScale = 0.1f;

    public float[] Denoise(Image noisy, TrainingContext context, out float finalLoss)
    {
        var o = context.Options.OptionsOf<DipOptions>();
        int c = noisy.Channels, h = noisy.Height, w = noisy.Width;
        int ph = PaddedSide(h), pw = PaddedSide(w);
        bool padded = ph != h || pw != w;

        var init = new Rng(context.Seed);
        var net = new DipNetwork(o.InputDepth, c, init);
        var z = new float[o.InputDepth * ph * pw];
        for (int i = 0; i < z.Length; i++) z[i] = init.NextFloat() * InputScale;
        var perturbation = init.Fork(1);

        var target = Tensor.FromArray(noisy.Data, 1, c, h, w);
        var parameters = net.Parameters().ToArray();
        var adam = new Adam(parameters, context.Options.EffectiveLearningRate);
        var backtracking = o.BacktrackDrop is float drop ? new DipBacktracking(parameters, drop) : null;
        var average = new DipAverage(c * h * w, o.Ema);
        var input = new float[z.Length];
        var arena = context.Arena;

        int iterations = context.Options.Iterations;
        context.Interim = average.Snapshot;
        finalLoss = float.NaN;
        if (context.Budget is { } budget) budget.ReserveSteps = 0; // the output is the running average
        var resume = context.Resume; // z is drawn from the seed again; the perturbations, average and rollback state are carried
        resume?.Track(perturbation);
        resume?.Carry(state => { average.Save(state); backtracking?.Save(state); },
            state => { average.Restore(state); backtracking?.Restore(state); });
        int start = resume?.Restore(parameters, adam, null, 0, iterations) ?? 0;
        for (int step = start + 1; step <= iterations; step++)
        {
            context.Cancel.ThrowIfCancellationRequested();
            if (context.Budget?.AllowsStep() == false) break;
            adam.ZeroGrad();
            OpProfile.Mark("(step start)");
            Perturb(z, input, o.RegNoiseStd, perturbation);
            using (arena.Activate())
            {
                var output = net.Forward(Tensor.StepConstant(input, [1, o.InputDepth, ph, pw]));
                var image = padded ? Ops.Crop2d(output, 0, 0, h, w) : output;
                var loss = Ops.MseLoss(image, target);
                finalLoss = loss.Item();
                if (!float.IsFinite(finalLoss))
                    throw new InvalidOperationException($"training diverged at iteration {step} (loss {finalLoss})");
                average.Add(image.Data.AsSpan(0, c * h * w));
                loss.Backward();
            }

            arena.Reset();
            // After the gradients, before the optimiser moves the weights: the notebook's closure order.
            backtracking?.AfterStep(DipBacktracking.Psnr(finalLoss));
            adam.Step();
            OpProfile.Mark("Adam.Step");
            context.Progress?.Report(new TrainingProgress(step, iterations, finalLoss, context.Clock.Elapsed));
            if (resume?.Due(step, iterations) == true) resume.Save(step, parameters, adam, context.Seed);
            if (context.CheckpointDue(step, iterations)) context.Checkpoint!(step, context.Interim());
        }

        context.Interim = null;
        return average.Snapshot();
    }

    /// <summary>The side the network runs at: the next multiple of 32, at least 64.</summary>
    internal static int PaddedSide(int side) =>
        Math.Max(DipNetwork.MinSide, (side + DipNetwork.SideMultiple - 1) / DipNetwork.SideMultiple * DipNetwork.SideMultiple);

    /// <summary>input = z + std·N(0, 1), a fresh draw each step (the notebook's reg_noise_std); std 0 gives z.</summary>
    private static void Perturb(float[] z, float[] input, float std, Rng rng)
    {
        if (std == 0f)
        {
            z.CopyTo(input, 0);
            return;
        }

        rng.AddGaussian(input, z, std);
    }
}
