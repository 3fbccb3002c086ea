using Hush.Denoising.Decorrelation;
using Hush.Denoising.Inference;
using Hush.Denoising.Methods;
using Hush.Denoising.Noise;
using Hush.Denoising.Training;
using Hush.Imaging;

namespace Hush.Denoising;

public sealed partial class Denoiser
{
    /// <summary>The stride <see cref="DenoiseOptions.DecorrelationStride"/> asks for on <paramref name="noisy"/>: the
    /// given one, or for 0 the noise report's (<see cref="NoiseLevelReport.DecorrelatingStride"/>: 1 unless the noise
    /// is measured to be spatially correlated). Images too small to split stay whole.</summary>
    private int StrideFor(Image noisy, Lazy<NoiseLevelReport?> report)
    {
        int stride = Options.DecorrelationStride;
        if (stride == 0) stride = report.Value?.DecorrelatingStride ?? 1; // too small to measure: too small to split
        return Math.Min(noisy.Width, noisy.Height) / Math.Max(1, stride) < MinSubImageSide ? 1 : stride;
    }

    /// <summary>Smallest side a sub-image may have; smaller images are denoised whole.</summary>
    internal const int MinSubImageSide = 32;

    /// <summary>Denoises the s² pixel-shuffled sub-images of <paramref name="noisy"/> and puts them back together. A
    /// trainable method with <see cref="MethodCapabilities.SharedModel"/> trains one model on all of them (a step on
    /// each in turn, as for a stack) and applies it to each; others denoise each sub-image on its own.</summary>
    private float[] DenoiseDecorrelated(Image noisy, int stride, TrainingContext context, out float finalLoss)
    {
        var subs = PixelShuffle.Split(noisy, stride);
        var outputs = new Image[subs.Length];
        if (Method is ITrainableMethod trainable && Options.Descriptor.Can(MethodCapabilities.SharedModel))
        {
            var plan = Plan(subs[0], trainable);
            Engine.TensorArena? interimArena = null;
            context.Interim = () => PixelShuffle.Merge([.. subs.Select(sub => sub.WithData(TiledInference.Run(context.Model!, sub,
                plan.InferenceTile, interimArena ??= new Engine.TensorArena())))], stride, noisy).Data;
            var model = trainable.Train(new TrainingSource(subs, plan.TrainingPatch, context.Seed), context, out finalLoss);
            var arena = InferenceArena(plan, context);
            for (int k = 0; k < subs.Length; k++)
            {
                context.Cancel.ThrowIfCancellationRequested();
                outputs[k] = subs[k].WithData(TiledInference.Run(model, subs[k], plan.InferenceTile, arena));
            }
        }
        else
        {
            finalLoss = float.NaN;
            for (int k = 0; k < subs.Length; k++)
                outputs[k] = subs[k].WithData(DenoiseAlone(subs[k], context with { Checkpoint = null, Budget = context.Budget?.Share(subs.Length - k) }, out finalLoss, out _));
        }
        return PixelShuffle.Merge(outputs, stride, noisy).Data;
    }
}
