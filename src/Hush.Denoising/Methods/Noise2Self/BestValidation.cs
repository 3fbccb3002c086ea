namespace Hush.Denoising.Methods.Noise2Self;

/// <summary>The notebook's model selection: after a validation, the model is kept when its loss on the held-out phase is
/// strictly below every earlier one (the first validation always is).</summary>
internal sealed class BestValidation
{
    /// <summary>The lowest loss offered so far; +∞ before the first.</summary>
    public float Loss { get; private set; } = float.PositiveInfinity;

    /// <summary>The snapshot taken at <see cref="Loss"/>; null before the first offer.</summary>
    public float[][]? Kept { get; private set; }

    /// <summary>Carries on from a stopped run's best <paramref name="loss"/> and the snapshot kept at it (null: none yet).</summary>
    public void Resume(float loss, float[][]? kept) => (Loss, Kept) = (loss, kept);

    /// <summary>Keeps <paramref name="snapshot"/>(previous kept arrays or null) when <paramref name="loss"/> beats the best
    /// so far (taken only then; it may copy into the previous arrays, so a validation allocates nothing after the
    /// first); true when it did.</summary>
    public bool Offer(float loss, Func<float[][]?, float[][]> snapshot)
    {
        if (!(loss < Loss)) return false;
        Loss = loss;
        Kept = snapshot(Kept);
        return true;
    }
}
