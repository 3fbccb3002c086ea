namespace Hush.Engine.Layers;

/// <summary>Re-initialisation of a layer's parameters in place, drawn from a seeded <see cref="Rng"/> in row-major
/// order (so a seed fixes every weight). Biases are set to 0.</summary>
public static class WeightInit
{
    /// <summary>weight ~ N(0, std²) (e.g. std = 0.02, Self2Self+), bias = 0.</summary>
    public static void Normal(Tensor weight, Tensor? bias, Rng rng, float std)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(rng);
        if (!(std >= 0f) || float.IsInfinity(std)) throw new ArgumentOutOfRangeException(nameof(std), std, "std must be a finite number >= 0.");
        float[] w = weight.Data;
        for (int i = 0; i < w.Length; i++) w[i] = (float)(std * rng.NextGaussian());
        if (bias is not null) Array.Clear(bias.Data);
    }

    /// <summary>He-normal (Kaiming, fan-in): weight ~ N(0, 2/fan_in), fan_in = (in channels) × k × k of a
    /// [out, in, k, k] weight; bias = 0 (Self2Self).</summary>
    public static void HeNormal(Tensor weight, Tensor? bias, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.Rank < 2) throw new ArgumentException($"HeNormal needs a [out, in, ...] weight, got [{string.Join(", ", weight.Shape)}].");
        int fanIn = weight.Length / weight.Shape[0];
        Normal(weight, bias, rng, MathF.Sqrt(2f / fanIn));
    }
}
