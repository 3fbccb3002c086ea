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
        Capabilities = MethodCapabilities.PatchesAndTiles | MethodCapabilities.SharedModel | MethodCapabilities.ReusableModel,
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
        ],
        ProbeRun = new Dictionary<string, string> { ["iterations"] = "16", ["fine-tune"] = "8", ["lr-step"] = "4" },
        Create = () => new LotaN2NMethod(),
    };
}
