using System.CommandLine;
using Hush.Denoising;

namespace Hush.Cli.Commands;

/// <summary>The blind2grad options of <c>hush denoise</c> (Blind2GradOptions); unset = the option's default. The
/// mask rate, dropout and passes come from the shared --mask-p, --dropout and --passes.</summary>
internal sealed class Blind2GradCliOptions
{
    private static readonly Blind2GradOptions Defaults = new();

    private readonly Option<float?> _omega = NonNegative("--omega", $"blind2grad: weight ω of the gradient term (Eq. 3.9; default {Defaults.Omega}, the paper's 0.5 for real noise; 0 = off)");
    private readonly Option<float?> _gamma = NonNegative("--gamma", $"blind2grad: weight γ of the extra colour term (default {Defaults.Gamma})");
    private readonly Option<float?> _detail = NonNegative("--detail-threshold", $"blind2grad: ε_g, |y − x_m| (0–255) from which a pixel is detail (default {Defaults.DetailThreshold})");
    private readonly Option<float?> _detailRatio = new("--detail-mask-ratio")
    {
        Description = $"blind2grad: mask rate of detail pixels as a fraction of the overall rate, in [0,1] (default {Defaults.DetailMaskRatio}: masked at half the rate; 0: never, the paper's 'kept visible')",
        Validators = { r => { if (r.GetValueOrDefault<float?>() is float v && !(v >= 0f && v <= 1f)) r.AddError("--detail-mask-ratio must be in [0,1]"); } },
    };
    private readonly Option<float?> _standout = NonNegative("--standout-threshold", $"blind2grad: ε_s (0–255 of each channel's largest gradient magnitude) from which units are never dropped (default {Defaults.StandoutThreshold})");
    private readonly Option<int?> _cycle = new("--cycle-length")
    {
        Description = $"blind2grad: steps between re-estimates of x_m = f(y) and the dual mask (default {Defaults.CycleLength})",
        Validators = { r => { if (r.GetValueOrDefault<int?>() is < 1) r.AddError("--cycle-length must be ≥ 1"); } },
    };
    private readonly Option<bool> _noDualMask = new("--no-dual-mask") { Description = "blind2grad: Bernoulli mask every step (ablation)" };
    private readonly Option<bool> _noStandout = new("--no-standout") { Description = "blind2grad: plain dropout instead of T-standout (ablation)" };

    public void AddTo(Command command)
    {
        foreach (Option o in new Option[] { _omega, _gamma, _detail, _detailRatio, _standout, _cycle, _noDualMask, _noStandout })
            command.Options.Add(o);
    }

    public Blind2GradOptions Read(ParseResult parse, (float? MaskP, float? Dropout, int? Passes) shared)
    {
        var o = Defaults with { DualMask = !parse.GetValue(_noDualMask), Standout = !parse.GetValue(_noStandout) };
        if (parse.GetValue(_omega) is float omega) o = o with { Omega = omega };
        if (parse.GetValue(_gamma) is float gamma) o = o with { Gamma = gamma };
        if (parse.GetValue(_detail) is float detail) o = o with { DetailThreshold = detail };
        if (parse.GetValue(_detailRatio) is float ratio) o = o with { DetailMaskRatio = ratio };
        if (parse.GetValue(_standout) is float standout) o = o with { StandoutThreshold = standout };
        if (parse.GetValue(_cycle) is int cycle) o = o with { CycleLength = cycle };
        if (shared.MaskP is float p) o = o with { MaskRate = p };
        if (shared.Dropout is float d) o = o with { DropoutRate = d };
        if (shared.Passes is int n) o = o with { Passes = n };
        return o;
    }

    private static Option<float?> NonNegative(string name, string description) => new(name)
    {
        Description = description,
        Validators = { r => { if (r.GetValueOrDefault<float?>() is float v && !(v >= 0f && float.IsFinite(v))) r.AddError($"{name} must be a finite number ≥ 0"); } },
    };
}
