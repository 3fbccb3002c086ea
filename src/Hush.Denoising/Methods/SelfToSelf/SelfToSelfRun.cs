using Hush.Denoising.Training;
using Hush.Engine;

namespace Hush.Denoising.Methods.SelfToSelf;

/// <summary>
/// The part the Self2Self methods share: train through <see cref="TrainingLoop"/> (constant learning rate, progress,
/// cancellation), then predict by averaging stochastic passes (each reported as an Ensemble progress step), cropped
/// and flipped back, clamped to [0, 1].
/// </summary>
internal static class SelfToSelfRun
{
    /// <summary>Trains with <paramref name="loss"/>, then averages <paramref name="passes"/> calls of
    /// <paramref name="pass"/> (no gradient; it returns the padded output and the flip variant it used).</summary>
    public static float[] TrainAndPredict(MaskedImage image, IEnumerable<Tensor> parameters, Func<Tensor> loss,
        Func<(Tensor Output, int Variant)> pass, float learningRate, int passes, TrainingContext context, out float finalLoss)
    {
        int iterations = context.Options.Iterations;
        finalLoss = TrainingLoop.Run(parameters, loss, iterations, context, learningRate, int.MaxValue, 1f, 0, iterations);

        var sum = new double[image.Channels * image.Height * image.Width];
        using (Autograd.NoGrad())
        {
            for (int k = 1; k <= passes; k++)
            {
                context.Cancel.ThrowIfCancellationRequested();
                using (context.Arena.Activate())
                {
                    var (output, variant) = pass();
                    image.AccumulateCropped(output.Data, variant, sum);
                }

                context.Arena.Reset();
                context.Progress?.Report(new TrainingProgress(k, passes, float.NaN, context.Clock.Elapsed, TrainingPhase.Ensemble));
            }
        }

        var result = new float[sum.Length];
        for (int i = 0; i < sum.Length; i++) result[i] = (float)Math.Clamp(sum[i] / passes, 0.0, 1.0);
        return result;
    }
}
