using System.CommandLine;

namespace Hush.Cli.Commands;

/// <summary><c>hush denoise</c>'s options for the Self2Self family (SelfToSelfOptions) and blind2grad's counterparts
/// (Blind2GradOptions); unset = the method's default.</summary>
internal static class SelfToSelfCliOptions
{
    public static (Option<float?> MaskP, Option<float?> Dropout, Option<int?> Passes) Create()
    {
        var maskP = new Option<float?>("--mask-p")
        {
            Description = "self2self-plus, self2self, blind2grad: probability that an input sample (blind2grad: pixel) is dropped, in (0,1) (default 0.4, 0.3, 0.25)",
            Validators = { r => { if (r.GetValueOrDefault<float?>() is float p && !(p > 0f && p < 1f)) r.AddError("--mask-p must be in (0,1)"); } },
        };
        var dropout = new Option<float?>("--dropout")
        {
            Description = "self2self-plus, self2self, blind2grad: decoder dropout rate (blind2grad: of T-standout's free units), in [0,1) (default: --mask-p, 0.3, 0.3)",
            Validators = { r => { if (r.GetValueOrDefault<float?>() is float d && !(d >= 0f && d < 1f)) r.AddError("--dropout must be in [0,1)"); } },
        };
        var passes = new Option<int?>("--passes")
        {
            Description = "self2self-plus, self2self, blind2grad: stochastic passes averaged for the output (default 500, 100, 40)",
            Validators = { r => { if (r.GetValueOrDefault<int?>() is < 1) r.AddError("--passes must be ≥ 1"); } },
        };
        return (maskP, dropout, passes);
    }
}
