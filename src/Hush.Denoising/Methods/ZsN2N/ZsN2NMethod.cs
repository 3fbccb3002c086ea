using Hush.Denoising.Training;
using Hush.Engine;

namespace Hush.Denoising.Methods.ZsN2N;

/// <summary>Zero-Shot Noise2Noise (Mansour &amp; Heckel, CVPR 2023; docs/methods/zs-n2n.md):
/// train the 2-layer noise predictor on the pair-downsampled image, then output clamp(y − g(y), 0, 1)
/// from one full-resolution forward pass. No ensembling, no rescaling.</summary>
internal sealed class ZsN2NMethod : ITrainableMethod
{
    /// <summary>conv3×3 → conv3×3 → conv1×1: each 3×3 layer reaches one pixel further.</summary>
    public int ReceptiveRadius => 2;

    public ITrainedModel Train(TrainingSource source, TrainingContext context, out float finalLoss)
    {
        ITrainableMethod.RequirePairs(source, "ZS-N2N");
        var net = new ZsN2NNetwork(source.Channels, new Rng(context.Seed));
        var model = context.Model = new ZsN2NModel(net, ReceptiveRadius); // published early for interim results

        var o = context.Options.OptionsOf<ZsN2NOptions>();
        HeldOutBlocks? heldOut = null;
        if (context.EarlyStop is { } rule)
        {
            if (!source.SameInputEveryStep)
                throw new ArgumentException("the stopping rule holds out blocks of one whole image; this run trains on patches or several planes");
            var y = source.Next(0); // the whole image, the same tensor every step: nothing drawn
            heldOut = new HeldOutBlocks(y.Shape[1], y.Shape[2], y.Shape[3], new Rng(context.Seed).Fork(HeldOutStream));
            rule.Attach(net.Parameters(), () => heldOut.Loss(net, y, context.Arena));
        }
        int step = context.Resume?.StartStep ?? 0, iterations = context.Options.Iterations;
        finalLoss = TrainingLoop.Run(net.Parameters(), () => ZsN2NLoss.Compute(net, source.Next(step++), out _, heldOut), iterations, context,
            context.Options.EffectiveLearningRate, o.LearningRateStep, o.LearningRateGamma, 0, iterations);
        return model;
    }

    public ITrainedModel CreateModel(int channels) => new ZsN2NModel(new ZsN2NNetwork(channels, new Rng(0)), ReceptiveRadius);

    /// <summary>Stream of the held-out blocks, apart from the weights' initialisation.</summary>
    private const ulong HeldOutStream = 0x68_65_6c_64;
}

/// <summary>A trained ZS-N2N network as a model: clamp(z − g(z), 0, 1). LoTA-N2N's result is one too.</summary>
internal sealed class ZsN2NModel(ZsN2NNetwork net, int radius) : ITrainedModel
{
    public int ReceptiveRadius => radius;

    public IReadOnlyList<Tensor> Parameters { get; } = net.Parameters().ToArray();

    public Tensor Apply(Tensor x) => Ops.Clamp(net.Denoise(x), 0f, 1f);
}
