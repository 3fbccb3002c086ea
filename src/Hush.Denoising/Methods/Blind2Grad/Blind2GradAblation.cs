namespace Hush.Denoising.Methods.Blind2Grad;

/// <summary>The steps of the paper's ablation as one sweep setting, <c>--sweep ablation=plain,dual-mask,gradient,full</c>:
/// plain blind-spot (Bernoulli mask, d_c only, plain dropout) → + dual mask → + gradient loss → + T-standout (the
/// defaults). "gradient" and "full" keep ω when another setting made it non-zero, else use the default 0.8. A
/// combination that is none of the steps reads "custom".</summary>
internal static class Blind2GradAblation
{
    private static readonly float DefaultOmega = new Blind2GradOptions().Omega;

    public static Blind2GradOptions Apply(Blind2GradOptions b, string step)
    {
        float omega = b.Omega > 0f ? b.Omega : DefaultOmega;
        return step.ToLowerInvariant() switch
        {
            "plain" => b with { DualMask = false, Omega = 0f, Standout = false },
            "dual-mask" => b with { DualMask = true, Omega = 0f, Standout = false },
            "gradient" => b with { DualMask = true, Omega = omega, Standout = false },
            "full" => b with { DualMask = true, Omega = omega, Standout = true },
            _ => throw new FormatException(),
        };
    }

    public static string Name(Blind2GradOptions b) => (b.DualMask, b.Omega > 0f, b.Standout) switch
    {
        (false, false, false) => "plain",
        (true, false, false) => "dual-mask",
        (true, true, false) => "gradient",
        (true, true, true) => "full",
        _ => "custom",
    };
}
