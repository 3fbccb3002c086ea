using Hush.Denoising.Models;
using Hush.Denoising.Training;
using Hush.Engine;
using Hush.Imaging;

namespace Hush.Denoising.Methods.Noise2Self;

/// <summary>
/// Noise2Self on one image (Batson &amp; Royer, ICML 2019; docs/methods/noise2self.md), after the official single-shot
/// notebook: step i trains the DnCNN on grid phase i mod (w² − 1) — the masked pixels replaced by their neighbours'
/// interpolation — with the squared error on those pixels only (mean over the whole image, as MSELoss(out·m, y·m)),
/// Adam at 0.01. Phase w² − 1 is never trained on: after steps i with i mod 10 = 0 the model is scored on it in
/// evaluation mode and kept when the score is the best so far. The output is the kept model applied once to the noisy
/// image (clamped to [0, 1]), or optionally the J-invariant assembly of all w² masked passes.
/// </summary>
internal sealed class Noise2SelfMethod : IDenoisingMethod
{
    public float[] Denoise(Image noisy, TrainingContext context, out float finalLoss)
    {
        var o = context.Options.OptionsOf<Noise2SelfOptions>();
        int channels = noisy.Channels, height = noisy.Height, width = noisy.Width, g = o.GridWidth, held = g * g - 1;
        int[] shape = [1, channels, height, width];
        var y = noisy.Data;
        var init = new Rng(context.Seed);
        var net = new Noise2SelfNetwork(channels, o.Layers, o.Features, init);
        var draws = init.Fork(1); // random-neighbour picks

        var target = Tensor.FromArray(y, shape);
        var heldMask = Noise2SelfMasks.Grid(held, g, channels, height, width);
        var heldInput = Tensor.FromArray(Noise2SelfMasks.Fill(y, heldMask, o.Fill, channels, height, width), shape);
        // The training phases' inputs, made once: a step only looks its phase up.
        var phases = Enumerable.Range(0, held).Select(p =>
        {
            var mask = Noise2SelfMasks.Grid(p, g, channels, height, width);
            return (Input: Noise2SelfMasks.Fill(y, mask, o.Fill, channels, height, width), Mask: mask);
        }).ToArray();

        var best = new BestValidation();
        Func<float[][]?, float[][]> snapshot = net.Snapshot; // one delegate for the run
        void Validate()
        {
            var output = net.Evaluate(heldInput).Data;
            double sum = 0;
            for (int i = 0; i < y.Length; i++)
            {
                double d = heldMask[i] * (output[i] - y[i]);
                sum += d * d;
            }
            best.Offer((float)(sum / y.Length), snapshot);
        }

        int step = context.Resume?.StartStep ?? 0;
        if (context.Resume is { } resume)
        {
            resume.Track(draws);
            resume.Carry(state => Save(state, net, best), state => Restore(state, net, best));
        }

        Func<int, int, bool> unseen = (py, px) => !Noise2SelfMasks.InPhase(held, g, py, px); // the validation pixels stay unseen targets
        Tensor Loss()
        {
            int i = step++;
            if (i > 0 && (i - 1) % o.ValidateEvery == 0) Validate(); // the notebook validates right after step i − 1
            var (input, mask) = o.Masking == Noise2SelfMasking.Grid
                ? phases[i % held]
                : Noise2SelfMasks.RandomNeighbour(y, channels, height, width, o.MaskFraction, draws, unseen);
            var m = Tensor.StepConstant(mask, shape);
            var output = net.Forward(Tensor.StepConstant(input, shape));
            return Ops.MseLoss(Ops.Mul(output, m), Ops.Mul(target, m));
        }

        float[] Output() => Infer(net, y, o, context, shape);
        context.Interim = Output;
        int iterations = context.Options.Iterations;
        finalLoss = TrainingLoop.Run(net.Parameters(), Loss, iterations, context, context.Options.EffectiveLearningRate,
            int.MaxValue, 1f, 0, iterations);
        context.Interim = null;
        if ((step - 1) % o.ValidateEvery == 0) // step: the steps taken (fewer than iterations when a time budget stopped them)
        {
            using (context.Arena.Activate()) Validate();
            context.Arena.Reset();
        }

        net.Restore(best.Kept!);
        return Output();
    }

    /// <summary>What a checkpoint carries besides the weights: the running statistics, and the best validation loss
    /// with the model kept at it.</summary>
    private static void Save(MethodState state, Noise2SelfNetwork net, BestValidation best)
    {
        foreach (var (values, k) in net.RunningStatistics.Select((v, k) => (v, k))) state.Put($"n2s.running.{k}", values);
        state.Put("n2s.best-loss", best.Loss);
        if (best.Kept is { } kept)
            for (int k = 0; k < kept.Length; k++) state.Put($"n2s.kept.{k}", kept[k]);
    }

    private static void Restore(MethodState state, Noise2SelfNetwork net, BestValidation best)
    {
        foreach (var (values, k) in net.RunningStatistics.Select((v, k) => (v, k))) state.CopyTo($"n2s.running.{k}", values);
        float loss = (float)state.Number("n2s.best-loss");
        var shapes = net.Snapshot(); // a validation has kept a model once the loss is finite
        best.Resume(loss, float.IsFinite(loss) ? shapes.Select((a, k) => state.Array($"n2s.kept.{k}", a.Length)).ToArray() : null);
    }

    /// <summary>The model in evaluation mode on the noisy image, or J-invariantly: each pixel from the pass of the
    /// phase that hides it (the official masker's infer_full_image). Clamped to [0, 1].</summary>
    private static float[] Infer(Noise2SelfNetwork net, float[] y, Noise2SelfOptions o, TrainingContext context, int[] shape)
    {
        var result = new float[y.Length];
        int channels = shape[1], height = shape[2], width = shape[3], g = o.GridWidth;
        using (context.Arena.Activate())
        {
            if (!o.JInvariant) net.Evaluate(Tensor.FromArray(y, shape)).Data.AsSpan(0, y.Length).CopyTo(result);
            else
                for (int p = 0; p < g * g; p++)
                {
                    context.Cancel.ThrowIfCancellationRequested();
                    var mask = Noise2SelfMasks.Grid(p, g, channels, height, width);
                    var output = net.Evaluate(Tensor.FromArray(Noise2SelfMasks.Fill(y, mask, o.Fill, channels, height, width), shape)).Data;
                    for (int i = 0; i < result.Length; i++) result[i] += mask[i] * output[i];
                }
        }
        context.Arena.Reset();
        for (int i = 0; i < result.Length; i++) result[i] = Math.Clamp(result[i], 0f, 1f);
        return result;
    }
}
