namespace Hush.Engine;

public static partial class Ops
{
    /// <summary>Fills <paramref name="mask"/> with 1 (probability <paramref name="keep"/>) or 0, from one draw of
    /// <paramref name="rng"/> (the same counter-based hash as <see cref="Dropout"/>): fixed by the seed for any
    /// thread count.</summary>
    public static void BernoulliMask(float[] mask, float keep, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentNullException.ThrowIfNull(rng);
        if (!(keep >= 0f && keep <= 1f)) throw new ArgumentOutOfRangeException(nameof(keep), keep, "keep must be in [0, 1].");
        Kernels.Bernoulli.Fill(mask, rng.NextUInt64(), Kernels.Bernoulli.Threshold(keep), 1f, 0f);
    }
}
