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
        if (context.EarlyStop is { } rule)
        {
            var (pairs, targets) = HeldOutPairs(source.HeldOut());
            rule.Attach(net.Parameters(), () => HeldOutLoss(net, pairs, targets, context.Arena));
        }
        int step = context.Resume?.StartStep ?? 0, iterations = context.Options.Iterations;
        finalLoss = TrainingLoop.Run(net.Parameters(), () => ZsN2NLoss.Compute(net, source.Next(step++)), iterations, context,
            context.Options.EffectiveLearningRate, o.LearningRateStep, o.LearningRateGamma, 0, iterations);
        return model;
    }

    public ITrainedModel CreateModel(int channels) => new ZsN2NModel(new ZsN2NNetwork(channels, new Rng(0)), ReceptiveRadius);

    /// <summary>The held-out pairs of the stopping rule: the other pairing of each 2×2 block, which training never
    /// uses — top row mean a = (TL + TR)/2 and bottom row mean b = (BL + BR)/2 — as a batch [a; b] [2,C,H/2,W/2], with
    /// its Noise2Noise targets [b; a].</summary>
    internal static (Tensor Pairs, float[] Targets) HeldOutPairs(Tensor y)
    {
        int c = y.Shape[1], h = y.Shape[2] / 2, w = y.Shape[3] / 2, width = y.Shape[3], half = c * h * w;
        var pairs = new float[2 * half];
        var targets = new float[2 * half];
        var d = y.Data;
        for (int ch = 0; ch < c; ch++)
            for (int i = 0; i < h; i++)
                for (int j = 0; j < w; j++)
                {
                    int top = (ch * y.Shape[2] + 2 * i) * width + 2 * j, bottom = top + width, k = (ch * h + i) * w + j;
                    float a = 0.5f * (d[top] + d[top + 1]), b = 0.5f * (d[bottom] + d[bottom + 1]);
                    pairs[k] = a; pairs[half + k] = b;
                    targets[k] = b; targets[half + k] = a;
                }
        return (Tensor.FromArray(pairs, 2, c, h, w), targets);
    }

    /// <summary>mean((f(a) − b)² and (f(b) − a)²): the Noise2Noise loss on the held-out pairs, without gradients. Its
    /// expectation is the error of f against the clean image plus the sub-images' noise variance, a constant.</summary>
    internal static float HeldOutLoss(ZsN2NNetwork net, Tensor pairs, float[] targets, TensorArena arena)
    {
        double sum = 0;
        using (Autograd.NoGrad())
        using (arena.Activate())
        {
            var f = net.Denoise(pairs).Data;
            for (int i = 0; i < targets.Length; i++)
            {
                double e = f[i] - targets[i];
                sum += e * e;
            }
        }
        arena.Reset();
        return (float)(sum / targets.Length);
    }
}

/// <summary>A trained ZS-N2N network as a model: clamp(z − g(z), 0, 1). LoTA-N2N's result is one too.</summary>
internal sealed class ZsN2NModel(ZsN2NNetwork net, int radius) : ITrainedModel
{
    public int ReceptiveRadius => radius;

    public IReadOnlyList<Tensor> Parameters { get; } = net.Parameters().ToArray();

    public Tensor Apply(Tensor x) => Ops.Clamp(net.Denoise(x), 0f, 1f);
}
