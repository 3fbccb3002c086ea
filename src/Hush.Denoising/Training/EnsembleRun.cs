using Hush.Engine.Diagnostics;
using Hush.Denoising.Masking;
using Hush.Engine;

namespace Hush.Denoising.Training;

/// <summary>
/// The part the Self2Self methods share: train through <see cref="TrainingLoop"/> (constant learning rate, progress,
/// cancellation, checkpoints), then predict by averaging stochastic passes (each reported as an Ensemble progress
/// step; cancellation is checked before every pass), cropped and flipped back, clamped to [0, 1].
/// </summary>
internal static class EnsembleRun
{
    /// <summary>Stream of the checkpoint passes (per step), apart from the training/prediction stream.</summary>
    private const ulong CheckpointStream = 0x63_6b_70_74;

    /// <summary>Stream of the final passes of a method with a saved model (<see cref="EnsembleModel"/>): drawn from the
    /// seed alone, so applying the model to the same image repeats them.</summary>
    private const ulong PredictionStream = 0x70_72_65_64;

    /// <summary>A pass's time as a share of a training step's: a forward pass without the backward one (Self2Self+
    /// at 256²: 146 against 413 ms, bench/RESULTS.md), rounded up.</summary>
    private const double PassShare = 0.4;

    /// <summary>The random stream of <see cref="EnsembleModel"/>'s passes for <paramref name="seed"/>.</summary>
    public static Rng PredictionRng(ulong seed) => new Rng(seed).Fork(PredictionStream);

    /// <summary>Trains with <paramref name="loss"/> and returns the final loss; <paramref name="passes"/> calls of
    /// <paramref name="pass"/> (no gradient; it returns the padded output and the flip variant it used) are the prediction
    /// to come (<see cref="Predict"/>), which a time budget keeps time for. Checkpoints average
    /// <see cref="DenoiseOptions.CheckpointPasses"/> passes drawn from a stream of their own, so they leave the training and
    /// the final prediction unchanged.</summary>
    public static float Train(MaskedImage image, IEnumerable<Tensor> parameters, Func<Tensor> loss,
        Func<Rng, (Tensor Output, int Variant)> pass, Rng rng, float learningRate, int passes, TrainingContext context)
    {
        if (context.Budget is { } budget) budget.ReserveSteps = passes * PassShare;
        int iterations = context.Options.Iterations;
        int step = context.Resume is { } resume ? resume.StartStep / context.Options.CheckpointEvery : 0; // checkpoints so far
        context.Resume?.Track(rng);
        context.Interim = () => Predict(image, pass, new Rng(context.Seed).Fork(CheckpointStream + (ulong)++step),
            context.Options.CheckpointPasses, context, report: false);
        float finalLoss = TrainingLoop.Run(parameters, loss, iterations, context, learningRate, int.MaxValue, 1f, 0, iterations);
        context.Interim = null;
        return finalLoss;
    }

    /// <summary>Trains with <paramref name="loss"/> and returns <paramref name="average"/> (a running average the loss
    /// keeps of the padded outputs, variant 0) cropped and clamped to [0, 1]; checkpoints show the average so far.</summary>
    public static float[] TrainAndAverage(MaskedImage image, IEnumerable<Tensor> parameters, Func<Tensor> loss,
        Func<float[]> average, Rng rng, float learningRate, TrainingContext context, out float finalLoss)
    {
        int iterations = context.Options.Iterations;
        if (context.Budget is { } budget) budget.ReserveSteps = 0; // the output is the average kept while training
        context.Resume?.Track(rng);
        context.Interim = () => Cropped(image, average());
        finalLoss = TrainingLoop.Run(parameters, loss, iterations, context, learningRate, int.MaxValue, 1f, 0, iterations);
        context.Interim = null;
        return Cropped(image, average());
    }

    private static float[] Cropped(MaskedImage image, float[] padded)
    {
        var sum = new double[image.Channels * image.Height * image.Width];
        image.AccumulateCropped(padded, 0, sum);
        var result = new float[sum.Length];
        for (int i = 0; i < sum.Length; i++) result[i] = (float)Math.Clamp(sum[i], 0.0, 1.0);
        return result;
    }


    /// <summary>The mean of <paramref name="passes"/> calls of <paramref name="pass"/> drawing from
    /// <paramref name="rng"/>, cropped and flipped back, clamped to [0, 1].</summary>
    public static float[] Predict(MaskedImage image, Func<Rng, (Tensor Output, int Variant)> pass, Rng rng, int passes,
        TrainingContext context, bool report)
    {
        var sum = new double[image.Channels * image.Height * image.Width];
        int done = 0;
        using (Autograd.NoGradOnThisThread())
        {
            for (int k = 1; k <= passes; k++)
            {
                context.Cancel.ThrowIfCancellationRequested();
                if (report && context.Budget?.AllowsPass(done) == false) break; // checkpoints are not cut short
                done++;
                using (context.Arena.Activate())
                {
                    OpProfile.Mark("(pass start)");
                    var (output, variant) = pass(rng);
                    image.AccumulateCropped(output.Data, variant, sum);
                    OpProfile.Mark("(pass accumulate)");
                }

                context.Arena.Reset();
                if (report)
                    context.Progress?.Report(new TrainingProgress(k, passes, float.NaN, context.Clock.Elapsed, TrainingPhase.Ensemble));
            }
        }

        var result = new float[sum.Length];
        for (int i = 0; i < sum.Length; i++) result[i] = (float)Math.Clamp(sum[i] / done, 0.0, 1.0);
        return result;
    }
}
