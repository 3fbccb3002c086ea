using Hush.Denoising.Methods.ZsN2N;

namespace Hush.Denoising.Methods.LotaN2N;

/// <summary>LoTA-N2N in the registry.</summary>
internal static class LotaN2NDescriptor
{
    private static readonly ParameterBuilder<LotaN2NOptions> P = new("lota-n2n");
    private static readonly LotaN2NOptions Defaults = new();

    public static readonly MethodDescriptor Value = new()
    {
        Name = "lota-n2n",
        Summary = "ZS-N2N, then fine-tuning with a trace term that decouples the denoiser's error from the noise",
        GoodFor = "as ZS-N2N (measured within 0.06 dB of it; the paper's gain did not reproduce)",
        Paper = "Hu, Xia, Li & Yang, arXiv 2403.12382",
        DefaultIterations = 4000,
        DefaultLearningRate = 1e-3f,
        Capabilities = MethodCapabilities.PatchesAndTiles | MethodCapabilities.SharedModel | MethodCapabilities.ReusableModel |
                       MethodCapabilities.Resumable,
        DefaultOptions = Defaults,
        Parameters =
        [
            .. ZsN2NDescriptor.Schedule(P),
            P.Float("lambda", o => o.TraceWeight, (o, v) => o with { TraceWeight = v },
                $"weight λ of the trace term (default {Defaults.TraceWeight})") with
            {
                Flag = "--trace-weight", Aliases = ["trace-weight"], Probe = "1000", Invalid = "-1",
            },
            P.Int("trace-patch", o => o.PatchSize, (o, v) => o with { PatchSize = v },
                $"patch side of the patch-wise trace term; 0 = one global term (default {Defaults.PatchSize})") with
            {
                Aliases = ["patch"], Probe = "0", Invalid = "-1",
            },
            P.Int("fine-tune", o => o.FineTuneIterations, (o, v) => o with { FineTuneIterations = v },
                $"stage-2 steps, out of --iterations (default {Defaults.FineTuneIterations})") with
            {
                Flag = "--fine-tune-iterations", Aliases = ["fine-tune-iterations"], Probe = "4", Invalid = "-1",
            },
            P.Float("fine-tune-lr", o => o.FineTuneLearningRate, (o, v) => o with { FineTuneLearningRate = v },
                $"stage-2 learning rate (default {Values.Text(Defaults.FineTuneLearningRate)})") with { Probe = "0.01", Invalid = "0" },
            // The other readings of the paper's text (docs/methods/lota-n2n.md, "Readings"); each default is Hush's reading.
            P.Int("proxy-refresh", o => o.ProxyRefresh, (o, v) => o with { ProxyRefresh = v },
                "re-freeze the proxies from the current model every K stage-2 steps; 0 = frozen once after stage 1 (default 0)") with
            {
                Probe = "2", Invalid = "-1",
            },
            P.Enum<LotaTraceBranch>("trace-branch", o => o.TraceBranch, (o, v) => o with { TraceBranch = v },
                "Output: ⟨f(y1) − x̂1, x̂1 − y2⟩ (default); Residual: on the noise branch, ⟨g(y1) − n̂1, n̂2⟩ = ⟨f(y1) − x̂1, x̂2 − y2⟩") with
            {
                Probe = "residual",
            },
            P.Enum<LotaTracePairing>("trace-pairing", o => o.TracePairing, (o, v) => o with { TracePairing = v },
                "Mutual: each error about its own sub-image's proxy (default); Cross: about the target's, ⟨f(y1) − x̂2, x̂2 − y2⟩") with
            {
                Probe = "cross",
            },
            P.Enum<LotaLambdaSchedule>("lambda-schedule", o => o.LambdaSchedule, (o, v) => o with { LambdaSchedule = v },
                "Constant λ over stage 2 (default) or Ramp: linearly from 0 at its first step to λ at its last") with
            {
                Probe = "ramp",
            },
        ],
        ProbeRun = new Dictionary<string, string> { ["iterations"] = "16", ["fine-tune"] = "8", ["lr-step"] = "4" },
        Create = () => new LotaN2NMethod(),
    };
}
