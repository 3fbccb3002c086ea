using Hush.Denoising.Methods.ZsN2N;
using Hush.Denoising.Models;
using Hush.Denoising.Training;
using Hush.Engine;

namespace Hush.Denoising.Methods.LotaN2N;

/// <summary>
/// LoTA-N2N (Hu, Xia, Li, Yang, arXiv 2403.12382), as Hush reconstructs it (docs/methods/lota-n2n.md) — no official code exists.
/// Stage 1: ZS-N2N exactly (same network, seed, downsampler, loss and schedule) for Iterations − FineTuneIterations
/// steps (with no fine-tuning the output is ZS-N2N's, bit for bit). The stage-1 model is then frozen once to give
/// detached clean proxies x̂1 = f(y1), x̂2 = f(y2).
/// Stage 2: FineTuneIterations steps of a fresh Adam on the ZS-N2N loss (residual + consistency) plus
/// λ·½(|T12| + |T21|), T12 = ⟨f(y1) − x̂1, x̂1 − y2⟩, T21 = ⟨f(y2) − x̂2, x̂2 − y1⟩ ("mutual": both directions;
/// "residual": the network still predicts the noise, f(z) = z − g(z)), globally or patch by patch.
/// Other readings of the text (proxy refresh, the residual branch, cross pairing, a λ ramp) are settings whose defaults
/// give this one (LotaN2NReadings.cs).
/// Output: clamp(y − g(y), 0, 1), as ZS-N2N.
/// </summary>
internal sealed class LotaN2NMethod : ITrainableMethod
{
    /// <summary>The ZS-N2N network's: conv3×3 → conv3×3 → conv1×1.</summary>
    public int ReceptiveRadius => 2;

    public ITrainedModel Train(TrainingSource source, TrainingContext context, out float finalLoss)
    {
        ITrainableMethod.RequirePairs(source, "LoTA-N2N");
        var o = context.Options;
        var lota = o.OptionsOf<LotaN2NOptions>();
        int total = o.Iterations, stage1 = total - lota.FineTuneIterations; // equal total cost to a ZS-N2N run

        var net = new ZsN2NNetwork(source.Channels, new Rng(context.Seed));
        var model = context.Model = new ZsN2NModel(net, ReceptiveRadius); // published early for interim results
        int resumed = context.Resume?.StartStep ?? 0; // a stopped run's steps: a checkpoint past stage 1 skips it
        int step = resumed;
        finalLoss = TrainingLoop.Run(net.Parameters(), () => ZsN2NLoss.Compute(net, source.Next(step++)), stage1, context,
            o.EffectiveLearningRate, lota.LearningRateStep, lota.LearningRateGamma, 0, total);

        if (lota.FineTuneIterations > 0)
        {
            var proxies = new Proxies(net, source);
            context.Resume?.Carry(proxies.Save, proxies.Restore, after: stage1);
            int fineTuneStep = Math.Max(0, resumed - stage1); // 0-based stage-2 step: the proxy refresh and the λ ramp count these
            finalLoss = TrainingLoop.Run(net.Parameters(), () =>
                {
                    if (lota.ProxyRefresh > 0 && fineTuneStep > 0 && fineTuneStep % lota.ProxyRefresh == 0) proxies.Refresh();
                    var y = source.Next(step++);
                    var (y1, y2, proxy1, proxy2) = proxies.For(y);
                    return Loss(net, y, y1, y2, proxy1, proxy2, lota, lota.TraceWeightAt(fineTuneStep++));
                },
                lota.FineTuneIterations, context, lota.FineTuneLearningRate, int.MaxValue, 1f, stage1, total);
        }
        return model;
    }

    public ITrainedModel CreateModel(int channels) => new ZsN2NModel(new ZsN2NNetwork(channels, new Rng(0)), ReceptiveRadius);

    /// <summary>The frozen stage-1 model's clean sub-image estimates x̂1 = f(y1), x̂2 = f(y2), detached. One whole image:
    /// computed once. Patches or several planes: the stage-1 weights are copied once and the estimates computed
    /// for each step's input. <see cref="Refresh"/> re-freezes them from the model as it is now.</summary>
    private sealed class Proxies
    {
        private readonly ZsN2NNetwork _net;
        private readonly ZsN2NNetwork _frozen;
        private readonly TrainingSource _source;
        private (Tensor, Tensor, Tensor, Tensor)? _once;

        public Proxies(ZsN2NNetwork net, TrainingSource source)
        {
            _net = net;
            _source = source;
            if (source.SameInputEveryStep)
            {
                _frozen = net;
                _once = Compute(source.Next(0), copy: true);
            }
            else
            {
                _frozen = new ZsN2NNetwork(source.Channels, new Rng(0));
                CopyWeights();
            }
        }

        public (Tensor Y1, Tensor Y2, Tensor Proxy1, Tensor Proxy2) For(Tensor y) => _once ?? Compute(y, copy: false);

        /// <summary>Proxies from the model's current weights: recomputed (one image) or the frozen copy re-copied.</summary>
        public void Refresh()
        {
            if (_once is not null) _once = Compute(_source.Next(0), copy: true);
            else CopyWeights();
        }

        /// <summary>What a checkpoint carries of them: the proxies themselves (one image) or the frozen weights.</summary>
        public void Save(MethodState state)
        {
            if (_once is (_, _, var proxy1, var proxy2))
            {
                state.Put("lota.proxy1", proxy1.Data.AsSpan(0, proxy1.Length));
                state.Put("lota.proxy2", proxy2.Data.AsSpan(0, proxy2.Length));
            }
            else
                foreach (var (p, k) in _frozen.Parameters().Select((p, k) => (p, k))) state.Put($"lota.frozen.{k}", p.Data);
        }

        /// <summary>Puts a stopped run's proxies back in place of those just computed from the weights at hand.</summary>
        public void Restore(MethodState state)
        {
            if (_once is (_, _, var proxy1, var proxy2))
            {
                state.CopyTo("lota.proxy1", proxy1.Data.AsSpan(0, proxy1.Length));
                state.CopyTo("lota.proxy2", proxy2.Data.AsSpan(0, proxy2.Length));
            }
            else
                foreach (var (p, k) in _frozen.Parameters().Select((p, k) => (p, k))) state.CopyTo($"lota.frozen.{k}", p.Data);
        }

        private void CopyWeights()
        {
            foreach (var (to, from) in _frozen.Parameters().Zip(_net.Parameters()))
                from.Data.CopyTo(to.Data, 0);
        }

        private (Tensor, Tensor, Tensor, Tensor) Compute(Tensor y, bool copy)
        {
            using var _ = Autograd.NoGrad();
            var pairs = Ops.DiagonalPairs(y);  // [y1; y2]
            var proxies = _frozen.Denoise(pairs);
            int n = y.Shape[0];
            // Kept across steps only when computed once: then out of the step arena's reach.
            Tensor Keep(Tensor t) => copy ? Tensor.FromArray((float[])t.Data.Clone(), t.Shape) : t;
            Tensor First(Tensor t) => Keep(Ops.SliceBatch(t, 0, n));
            Tensor Second(Tensor t) => Keep(Ops.SliceBatch(t, n, n));
            return (First(pairs), Second(pairs), First(proxies), Second(proxies));
        }
    }

    /// <summary>Stage-2 loss: the ZS-N2N loss plus λ·½(|T12| + |T21|), λ = <see cref="LotaN2NOptions.TraceWeight"/>.</summary>
    internal static Tensor Loss(ZsN2NNetwork net, Tensor y, Tensor y1, Tensor y2,
        Tensor proxy1, Tensor proxy2, LotaN2NOptions lota) => Loss(net, y, y1, y2, proxy1, proxy2, lota, lota.TraceWeight);

    /// <summary>Stage-2 loss with the trace weight of this step (<see cref="LotaN2NOptions.TraceWeightAt"/>). T12 =
    /// ⟨f(y1) − a1, b1 − y2⟩, T21 = ⟨f(y2) − a2, b2 − y1⟩: a is the sub-image's own proxy (mutual) or the other's
    /// (cross); b is a (output branch) or the target sub-image's own proxy (residual branch, so that b − y' = −n̂').</summary>
    internal static Tensor Loss(ZsN2NNetwork net, Tensor y, Tensor y1, Tensor y2,
        Tensor proxy1, Tensor proxy2, LotaN2NOptions lota, float traceWeight)
    {
        var zs = ZsN2NLoss.Compute(net, y, out var pairs);
        if (traceWeight == 0f) return zs;
        int n = y.Shape[0];
        var f1 = Ops.SliceBatch(pairs, 0, n);
        var f2 = Ops.SliceBatch(pairs, n, n);
        bool cross = lota.TracePairing == LotaTracePairing.Cross, residual = lota.TraceBranch == LotaTraceBranch.Residual;
        Tensor a1 = cross ? proxy2 : proxy1, a2 = cross ? proxy1 : proxy2;
        Tensor b1 = residual ? proxy2 : a1, b2 = residual ? proxy1 : a2;
        var t12 = TraceTerm.Magnitude(f1, a1, b1, y2, lota.PatchSize);
        var t21 = TraceTerm.Magnitude(f2, a2, b2, y1, lota.PatchSize);
        return Ops.Add(zs, Ops.Scale(Ops.Add(t12, t21), 0.5f * traceWeight));
    }
}
