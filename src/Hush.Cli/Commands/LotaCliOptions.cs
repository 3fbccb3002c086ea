using System.CommandLine;
using Hush.Denoising;

namespace Hush.Cli.Commands;

/// <summary>The lota-n2n stage-2 options of <c>hush denoise</c>.</summary>
internal sealed class LotaCliOptions
{
    private static readonly LotaOptions Defaults = new();

    private readonly Option<int> _fineTune = new("--fine-tune-iterations")
    {
        Description = $"lota-n2n: stage-2 steps, out of --iterations (default {Defaults.FineTuneIterations})",
        DefaultValueFactory = _ => Defaults.FineTuneIterations,
    };

    private readonly Option<float> _traceWeight = new("--trace-weight")
    {
        Description = $"lota-n2n: weight λ of the trace term (default {Defaults.TraceWeight})",
        DefaultValueFactory = _ => Defaults.TraceWeight,
    };

    private readonly Option<int> _tracePatch = new("--trace-patch")
    {
        Description = $"lota-n2n: patch side for the patch-wise trace term; 0 = one global term (default {Defaults.PatchSize})",
        DefaultValueFactory = _ => Defaults.PatchSize,
    };

    private readonly Option<float> _fineTuneLr = new("--fine-tune-lr")
    {
        Description = $"lota-n2n: stage-2 learning rate (default {Defaults.FineTuneLearningRate})",
        DefaultValueFactory = _ => Defaults.FineTuneLearningRate,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(_fineTune);
        command.Options.Add(_traceWeight);
        command.Options.Add(_tracePatch);
        command.Options.Add(_fineTuneLr);
    }

    public LotaOptions Read(ParseResult parse) => new()
    {
        FineTuneIterations = parse.GetValue(_fineTune),
        TraceWeight = parse.GetValue(_traceWeight),
        PatchSize = parse.GetValue(_tracePatch),
        FineTuneLearningRate = parse.GetValue(_fineTuneLr),
    };
}
