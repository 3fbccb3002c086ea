namespace Hush.Denoising.Methods;

/// <summary>A method's own settings: an immutable record of plain values (numbers, switches, enums, paths; no delegates
/// or loaded objects), so a run's settings can be printed, compared, keyed and written to JSON. Each method defines one
/// in its folder; <see cref="DenoiseOptions.MethodOptions"/> carries it, and <see cref="MethodDescriptor.DefaultOptions"/> is
/// the method's published (or measured) default.</summary>
public abstract record MethodOptions
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the setting when a value is out of range. Some checks
    /// need the run's total training <paramref name="iterations"/> (LoTA-N2N's stage 2 is a share of them).</summary>
    public abstract void Validate(int iterations);

    /// <summary>The training iterations a preset of these settings stands for (a named recipe of the paper or its code);
    /// null = the method's <see cref="MethodDescriptor.DefaultIterations"/>. An explicit
    /// <see cref="DenoiseOptions.Iterations"/> always wins.</summary>
    public virtual int? PresetIterations => null;

    /// <summary>The learning rate a preset of these settings stands for; null = the method's
    /// <see cref="MethodDescriptor.DefaultLearningRate"/>. An explicit <see cref="DenoiseOptions.LearningRate"/> always wins.</summary>
    public virtual float? PresetLearningRate => null;

    /// <summary>Throws with <paramref name="message"/> unless <paramref name="ok"/>.</summary>
    protected static void Check(bool ok, string message)
    {
        if (!ok) throw new ArgumentException(message);
    }

    /// <summary>True when <paramref name="v"/> is a finite number ≥ <paramref name="min"/>.</summary>
    protected static bool FiniteAtLeast(float v, float min) => float.IsFinite(v) && v >= min;
}
