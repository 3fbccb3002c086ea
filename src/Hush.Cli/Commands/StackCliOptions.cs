using System.CommandLine;
using Hush.Denoising;

namespace Hush.Cli.Commands;

/// <summary>The stack and memory options of <c>hush denoise</c>: axes, shared model, memory budget, patch size.</summary>
internal sealed class StackCliOptions
{
    private readonly Option<string?> _axes = CommonOptions.Axes();

    private readonly Option<int> _trainPlanes = new("--train-planes")
    {
        Description = "Stacks: train ONE model on K evenly spaced planes (in turn) and apply it to all (default 0: one model per plane)",
        Validators = { r => { if (r.GetValueOrDefault<int>() < 0) r.AddError("--train-planes must be ≥ 0"); } },
    };

    private readonly Option<string?> _memoryBudget = new("--memory-budget")
    {
        Description = "Approximate memory to stay within, e.g. 2G, 512M (default: half the memory available); bigger images train on patches and run tiled",
        Validators = { r => { if (r.GetValueOrDefault<string?>() is string s && !MemorySize.TryParse(s, out _)) r.AddError($"--memory-budget must be a size such as 2G or 512M, got '{s}'"); } },
    };

    private readonly Option<int> _patchSize = new("--patch-size")
    {
        Description = $"Side of the random training patches when an image exceeds the budget (default {new DenoiseOptions().PatchSize})",
        DefaultValueFactory = _ => new DenoiseOptions().PatchSize,
        Validators = { r => { if (r.GetValueOrDefault<int>() < 16) r.AddError("--patch-size must be ≥ 16"); } },
    };

    public void AddTo(Command command)
    {
        command.Options.Add(_axes);
        command.Options.Add(_trainPlanes);
        command.Options.Add(_memoryBudget);
        command.Options.Add(_patchSize);
    }

    public string? Axes(ParseResult parse) => parse.GetValue(_axes)?.ToUpperInvariant();

    public DenoiseOptions Apply(ParseResult parse, DenoiseOptions options)
    {
        MemorySize.TryParse(parse.GetValue(_memoryBudget), out long budget); // validated; 0 when absent
        return options with { TrainPlanes = parse.GetValue(_trainPlanes), MemoryBudget = budget, PatchSize = parse.GetValue(_patchSize) };
    }
}
