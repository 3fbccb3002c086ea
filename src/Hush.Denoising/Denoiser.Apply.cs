using System.Diagnostics;
using Hush.Denoising.Inference;
using Hush.Engine;
using Hush.Imaging;

namespace Hush.Denoising;

public sealed partial class Denoiser
{
    /// <summary>Denoises <paramref name="image"/> with a saved model, without training: the same inference a denoise
    /// run ends with (one whole-image pass, or tiles when it would not fit <see cref="DenoiseOptions.MemoryBudget"/>;
    /// tiles give the same output). Uses this denoiser's <see cref="DenoiseOptions.Threads"/> and memory budget; its
    /// method and training settings play no part (the model's do).</summary>
    /// <exception cref="ArgumentException">The image has another colour channel count than the model takes, or
    /// holds NaN or infinite values.</exception>
    public DenoiseResult Apply(DenoiseModel model, Image image, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(image);
        RequireChannels(model, image.Channels);
        RequireFinite(image);
        int threads = ThreadCount;
        using var context = EngineContext.Borrow(threads);
        var clock = Stopwatch.StartNew();
        var data = Infer(model.CreateNetwork(), image, new TensorArena(), cancel);
        return new DenoiseResult(image.WithData(data), model.Method, 0, model.Seed, threads, clock.Elapsed.TotalSeconds, float.NaN)
        {
            Options = model.Options, Model = model,
        };
    }

    /// <summary>Denoises every plane of <paramref name="noisy"/> with a saved model, without training, as
    /// <see cref="DenoiseStack"/> denoises them with a shared model: same planes, normalisation and output stack.
    /// Progress counts planes (Training phase, loss NaN).</summary>
    /// <param name="overwriteInput">As for <see cref="DenoiseStack"/>.</param>
    /// <exception cref="ArgumentException">The planes have another colour channel count than the model takes.</exception>
    /// <exception cref="ImageFormatException">A plane holds NaN or infinite values.</exception>
    public StackDenoiseResult ApplyStack(DenoiseModel model, ImageStack noisy, IProgress<Training.TrainingProgress>? progress = null,
        CancellationToken cancel = default, bool overwriteInput = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(noisy);
        RequireChannels(model, StackPlanes.ChannelsOf(noisy));
        var planes = new StackPlanes(noisy, overwriteInput);
        int threads = ThreadCount;
        using var context = EngineContext.Borrow(threads);
        var clock = Stopwatch.StartNew();
        var network = model.CreateNetwork();
        var arena = new TensorArena();
        for (int p = 0; p < planes.Count; p++)
        {
            var plane = planes.Read(p);
            planes.Write(p, plane.WithData(Infer(network, plane, arena, cancel)));
            progress?.Report(new Training.TrainingProgress(p + 1, planes.Count, float.NaN, clock.Elapsed));
        }
        return new StackDenoiseResult(planes.ToStack(), model.Method, 0, model.Seed, threads, clock.Elapsed.TotalSeconds,
            float.NaN, planes.Count, 1, planes.Channels) { Options = model.Options, Model = model };
    }

    private float[] Infer(Methods.ITrainedModel network, Image image, TensorArena arena, CancellationToken cancel)
    {
        cancel.ThrowIfCancellationRequested();
        if (network is Training.EnsembleModel ensemble) // whole-image passes, as the denoise run made them
            return ensemble.Predict(image, new Training.TrainingContext(Options, ensemble.Seed, null, cancel));
        var plan = Plan(image, network.ReceptiveRadius);
        return TiledInference.Run(network, image, plan.InferenceTile, arena, cancel);
    }

    private static void RequireChannels(DenoiseModel model, int channels)
    {
        if (channels != model.Channels)
            throw new ArgumentException($"the model ({model.Method}) takes {model.Channels} colour channel{(model.Channels == 1 ? "" : "s")}, the image has {channels}");
    }
}
