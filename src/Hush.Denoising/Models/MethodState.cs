using System.Globalization;

namespace Hush.Denoising.Models;

/// <summary>
/// A method's own training state, which a resumable checkpoint carries besides the weights, the optimiser and the random
/// streams: named float arrays (tensors <c>state.NAME</c> in the file) and numbers (the training section's <c>state</c>
/// object, as round-trip text, so ±∞ and NaN survive). Methods write it at every checkpoint and read it back when they
/// resume (<see cref="Training.TrainingResume.Carry"/>); a missing or misfitting entry is one line naming the file.
/// </summary>
internal sealed class MethodState
{
    private readonly Dictionary<string, float[]> _arrays = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _numbers = new(StringComparer.Ordinal);
    private readonly string _file;

    /// <param name="file">Names the checkpoint in errors.</param>
    public MethodState(string file = "checkpoint") => _file = file;

    /// <summary>The arrays in the order they were put.</summary>
    public IReadOnlyDictionary<string, float[]> Arrays => _arrays;

    /// <summary>The numbers in the order they were put.</summary>
    public IReadOnlyDictionary<string, double> Numbers => _numbers;

    /// <summary>Puts <paramref name="values"/> as they are (not copied: the checkpoint is written before training goes on).</summary>
    public void Put(string name, float[] values)
    {
        if (values.Length == 0) throw new ArgumentException($"state '{name}' is empty");
        if (!_arrays.TryAdd(name, values)) throw new ArgumentException($"state '{name}' put twice");
    }

    /// <summary>Puts a copy of <paramref name="values"/> (for a view into a larger buffer).</summary>
    public void Put(string name, ReadOnlySpan<float> values) => Put(name, values.ToArray());

    public void Put(string name, double value)
    {
        if (!_numbers.TryAdd(name, value)) throw new ArgumentException($"state '{name}' put twice");
    }

    public void Put(string name, bool value) => Put(name, value ? 1.0 : 0.0);

    public bool Has(string name) => _arrays.ContainsKey(name) || _numbers.ContainsKey(name);

    /// <summary>The array <paramref name="name"/>, which must hold <paramref name="length"/> values.</summary>
    /// <exception cref="InvalidDataException">It is missing or has another length.</exception>
    public float[] Array(string name, int length)
    {
        if (!_arrays.TryGetValue(name, out var values)) throw Missing(name);
        if (values.Length != length)
            throw new InvalidDataException($"{_file}: state '{name}' has {values.Length} values, this run needs {length}");
        return values;
    }

    /// <summary>Copies the array <paramref name="name"/> into <paramref name="destination"/>, whose length it must have.</summary>
    public void CopyTo(string name, Span<float> destination) => Array(name, destination.Length).CopyTo(destination);

    /// <exception cref="InvalidDataException">It is missing.</exception>
    public double Number(string name) => _numbers.TryGetValue(name, out double value) ? value : throw Missing(name);

    /// <summary>The number <paramref name="name"/> as a count (an integer ≥ 0).</summary>
    public int Count(string name)
    {
        double value = Number(name);
        return value is >= 0 and <= int.MaxValue && value == Math.Floor(value) ? (int)value
            : throw new InvalidDataException($"{_file}: state '{name}' is not a count ({value})");
    }

    public bool Flag(string name) => Number(name) switch
    {
        0 => false,
        1 => true,
        var v => throw new InvalidDataException($"{_file}: state '{name}' is not a flag ({v})"),
    };

    /// <summary>A number as the header writes it: round-trip text ("Infinity", "NaN" included).</summary>
    public static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Reads <see cref="Text"/> back; false when it is not a number.</summary>
    public static bool TryParse(string? text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    private InvalidDataException Missing(string name) => new($"{_file}: checkpoint has no state '{name}' (made by another version of Hush?)");
}
