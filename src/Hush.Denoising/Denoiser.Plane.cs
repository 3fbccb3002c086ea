using Hush.Denoising.Noise;
using Hush.Denoising.Training;
using Hush.Imaging;

namespace Hush.Denoising;

public sealed partial class Denoiser
{
    /// <summary>One image or plane through the real-noise steps the options ask for: variance stabilization
    /// (<see cref="DenoiseOptions.VarianceStabilization"/>), then the method on the whole image or on its pixel-shuffled
    /// sub-images (<see cref="DenoiseOptions.DecorrelationStride"/>), then the inverse transform. Interim results handed
    /// to checkpoints are mapped back the same way. <paramref name="model"/> is the trained network when the image was
    /// denoised as it is (a model trained on transformed or shuffled data does not apply to raw images); else null.</summary>
    private float[] DenoisePlane(Image noisy, TrainingContext context, out float finalLoss, out int stride, out string? noiseUsed,
        out DenoiseModel? model)
    {
        var report = new Lazy<NoiseLevelReport?>(() => ReportOf(noisy));
        var stabilizer = StabilizerFor(noisy, report);
        var input = stabilizer?.Forward(noisy) ?? noisy;
        if (stabilizer is not null)
        {
            var sink = context.Checkpoint;
            context = context with
            {
                KnownSigma = stabilizer.Sigma,
                Checkpoint = sink is null ? null : (step, interim) => sink(step, stabilizer.Inverse(interim)),
            };
        }
        stride = StrideFor(input, report);
        model = null;
        float[] data = stride > 1 ? DenoiseDecorrelated(input, stride, context, out finalLoss)
            : DenoiseAlone(input, context, out finalLoss, out model);
        if (stabilizer is not null) model = null;
        noiseUsed = stabilizer is null ? context.NoiseUsed : StabilizedNoise(stabilizer, context.NoiseUsed);
        return stabilizer is null ? data : stabilizer.Inverse(data);
    }

    /// <summary>The noise report of <paramref name="noisy"/>, or null when it is too small to estimate.</summary>
    private static NoiseLevelReport? ReportOf(Image noisy)
    {
        try
        {
            return NoiseLevelReport.Estimate(noisy);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
