using Hush.Denoising.Methods.ZsN2N;
using Hush.Denoising.Training;
using Hush.Engine;
using Hush.Imaging;

namespace Hush.Denoising.Methods.LotaN2N;

/// <summary>
/// LoTA-N2N (Hu, Xia, Li, Yang, arXiv 2403.12382), as reconstructed in methods.md §2 — no official code exists.
/// Stage 1: ZS-N2N exactly (same network, seed, downsampler, loss and schedule) for Iterations − FineTuneIterations
/// steps (with no fine-tuning the output is ZS-N2N's, bit for bit). The stage-1 model is then frozen once to give
/// detached clean proxies x̂1 = f(y1), x̂2 = f(y2).
/// Stage 2: FineTuneIterations steps of a fresh Adam on the ZS-N2N loss (residual + consistency) plus
/// λ·½(|T12| + |T21|), T12 = ⟨f(y1) − x̂1, x̂1 − y2⟩, T21 = ⟨f(y2) − x̂2, x̂2 − y1⟩ ("mutual": both directions;
/// "residual": the network still predicts the noise, f(z) = z − g(z)), globally or patch by patch.
/// Output: clamp(y − g(y), 0, 1), as ZS-N2N.
/// </summary>
internal sealed class LotaN2NMethod : IDenoisingMethod
{
    public string Name => "lota-n2n";

    public float[] Denoise(Image noisy, TrainingContext context, out float finalLoss)
    {
        if (noisy.Width < 2 || noisy.Height < 2)
            throw new ArgumentException($"LoTA-N2N needs at least 2x2 pixels, got {noisy.Width}x{noisy.Height}");
        var o = context.Options;
        var lota = o.Lota;
        lota.Validate(o.Iterations);
        int total = o.Iterations, stage1 = total - lota.FineTuneIterations; // equal total cost to a ZS-N2N run

        var y = ImageTensors.ToTensor(noisy);
        var net = new ZsN2NNetwork(noisy.Channels, new Rng(context.Seed));
        var down = new PairDownsampler(noisy.Channels);
        finalLoss = TrainingLoop.Run(net.Parameters(), () => ZsN2NLoss.Compute(net, down, y), stage1, context,
            o.LearningRate, o.LearningRateStep, o.LearningRateGamma, 0, total);

        if (lota.FineTuneIterations > 0)
        {
            Tensor y1, y2, proxy1, proxy2;
            using (Autograd.NoGrad())
            {
                y1 = down.First(y);
                y2 = down.Second(y);
                proxy1 = Tensor.FromArray((float[])net.Denoise(y1).Data.Clone(), y1.Shape); // frozen stage-1 model
                proxy2 = Tensor.FromArray((float[])net.Denoise(y2).Data.Clone(), y2.Shape);
            }

            finalLoss = TrainingLoop.Run(net.Parameters(), () => Loss(net, down, y, y1, y2, proxy1, proxy2, lota),
                lota.FineTuneIterations, context, lota.FineTuneLearningRate, int.MaxValue, 1f, stage1, total);
        }

        using (Autograd.NoGrad())
        using (context.Arena.Activate())
        {
            float[] result = (float[])Ops.Clamp(net.Denoise(y), 0f, 1f).Data.Clone();
            context.Arena.Reset();
            return result;
        }
    }

    /// <summary>Stage-2 loss: the ZS-N2N loss plus λ·½(|T12| + |T21|).</summary>
    internal static Tensor Loss(ZsN2NNetwork net, PairDownsampler down, Tensor y, Tensor y1, Tensor y2,
        Tensor proxy1, Tensor proxy2, LotaOptions lota)
    {
        var zs = ZsN2NLoss.Compute(net, down, y, out var f1, out var f2);
        if (lota.TraceWeight == 0f) return zs;
        var t12 = TraceTerm.Magnitude(f1, proxy1, y2, lota.PatchSize);
        var t21 = TraceTerm.Magnitude(f2, proxy2, y1, lota.PatchSize);
        return Ops.Add(zs, Ops.Scale(Ops.Add(t12, t21), 0.5f * lota.TraceWeight));
    }
}
