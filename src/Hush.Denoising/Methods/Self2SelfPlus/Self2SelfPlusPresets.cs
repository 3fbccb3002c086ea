namespace Hush.Denoising.Methods.Self2SelfPlus;

/// <summary>The official Self2Self+ scripts (JK-the-Ko/Self2SelfPlus, scripts/*.sh), which differ only in the mask
/// probability p and the iteration count.</summary>
public enum Self2SelfPlusPreset
{
    /// <summary>The CBSD68 Gaussian-noise scripts (σ = 15, 25, 50): p = 0.4, 4000 iterations (the defaults).</summary>
    Awgn,

    /// <summary>The SIDD real-noise script: p = 0.9, 1000 iterations.</summary>
    Sidd,

    /// <summary>The PolyU real-noise script: p = 0.7, 5000 iterations.</summary>
    PolyU,
}

/// <summary>What each <see cref="Self2SelfPlusPreset"/> sets, and the settings' shared limits.</summary>
internal static class Self2SelfPlusPresets
{
    /// <summary>Largest Poisson λ: the sampler's cost grows with λ·y, and e^(−λ) must stay a normal double.</summary>
    public const float MaxPoissonLambda = 500f;

    /// <summary>The preset's mask probability p.</summary>
    public static float MaskProbability(Self2SelfPlusPreset preset) => preset switch
    {
        Self2SelfPlusPreset.Sidd => 0.9f,
        Self2SelfPlusPreset.PolyU => 0.7f,
        _ => 0.4f,
    };

    /// <summary>The preset's iteration count; null for <see cref="Self2SelfPlusPreset.Awgn"/> (the descriptor's 4000).</summary>
    public static int? Iterations(Self2SelfPlusPreset preset) => preset switch
    {
        Self2SelfPlusPreset.Sidd => 1000,
        Self2SelfPlusPreset.PolyU => 5000,
        _ => null,
    };

    /// <summary>The settings with <paramref name="name"/>'s preset (any case): its p, and its iteration count through
    /// <see cref="Self2SelfPlusOptions.PresetIterations"/>.</summary>
    public static Self2SelfPlusOptions Apply(Self2SelfPlusOptions o, string name)
    {
        var preset = Values.Enum<Self2SelfPlusPreset>(name);
        return o with { Preset = preset, MaskProbability = MaskProbability(preset) };
    }

    /// <summary>"awgn", "sidd" or "polyu".</summary>
    public static string Name(Self2SelfPlusOptions o) => o.Preset.ToString().ToLowerInvariant();
}
