namespace Hush.Imaging;

/// <summary>The numeric type of the samples as stored in the source file (numpy dtype in brackets).</summary>
public enum SampleType
{
    /// <summary>1-bit bilevel samples, held as 0 or 1 (numpy <c>bool</c>).</summary>
    Bool,

    /// <summary>Unsigned 8-bit (<c>uint8</c>).</summary>
    UInt8,

    /// <summary>Unsigned 16-bit (<c>uint16</c>).</summary>
    UInt16,

    /// <summary>Signed 16-bit (<c>int16</c>).</summary>
    Int16,

    /// <summary>Unsigned 32-bit (<c>uint32</c>); not exact in float32, see <see cref="ImageStack.ExactData"/>.</summary>
    UInt32,

    /// <summary>Signed 32-bit (<c>int32</c>); not exact in float32, see <see cref="ImageStack.ExactData"/>.</summary>
    Int32,

    /// <summary>IEEE single precision (<c>float32</c>).</summary>
    Float32,

    /// <summary>IEEE double precision (<c>float64</c>); not exact in float32, see <see cref="ImageStack.ExactData"/>.</summary>
    Float64,
}

/// <summary>Sizes, ranges and names of <see cref="SampleType"/> values.</summary>
public static class SampleTypeInfo
{
    /// <summary>Bytes per sample in a file (Bool counts as one byte, as numpy stores it).</summary>
    public static int ByteSize(this SampleType type) => type switch
    {
        SampleType.Bool or SampleType.UInt8 => 1,
        SampleType.UInt16 or SampleType.Int16 => 2,
        SampleType.UInt32 or SampleType.Int32 or SampleType.Float32 => 4,
        SampleType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>Whether samples of <paramref name="type"/> are integers (bool included).</summary>
    public static bool IsInteger(this SampleType type) => type is not (SampleType.Float32 or SampleType.Float64);

    /// <summary>Whether samples of <paramref name="type"/> are floating point.</summary>
    public static bool IsFloat(this SampleType type) => !type.IsInteger();

    /// <summary>True where float32 cannot hold every value, so stacks also keep <see cref="ImageStack.ExactData"/>.</summary>
    public static bool NeedsExactData(this SampleType type) =>
        type is SampleType.UInt32 or SampleType.Int32 or SampleType.Float64;

    /// <summary>Smallest representable value (integer types only; -inf for floats).</summary>
    public static double MinValue(this SampleType type) => type switch
    {
        SampleType.Int16 => short.MinValue,
        SampleType.Int32 => int.MinValue,
        SampleType.Float32 or SampleType.Float64 => double.NegativeInfinity,
        _ => 0,
    };

    /// <summary>Largest representable value (integer types only; +inf for floats).</summary>
    public static double MaxValue(this SampleType type) => type switch
    {
        SampleType.Bool => 1,
        SampleType.UInt8 => byte.MaxValue,
        SampleType.UInt16 => ushort.MaxValue,
        SampleType.Int16 => short.MaxValue,
        SampleType.UInt32 => uint.MaxValue,
        SampleType.Int32 => int.MaxValue,
        _ => double.PositiveInfinity,
    };

    /// <summary>The numpy dtype name: bool, uint8, uint16, int16, uint32, int32, float32, float64.</summary>
    public static string NumpyName(this SampleType type) => type switch
    {
        SampleType.Bool => "bool",
        _ => type.ToString().ToLowerInvariant(),
    };

    /// <summary>
    /// Brings a value into the type's range the way a writer stores it: integers are rounded half away
    /// from zero and clamped (NaN becomes 0); Float32 is rounded to single precision; Float64 is unchanged.
    /// </summary>
    public static double Coerce(this SampleType type, double value)
    {
        if (type == SampleType.Float64)
            return value;
        if (type == SampleType.Float32)
            return (float)value;
        if (double.IsNaN(value))
            return 0;
        double rounded = Math.Round(value, MidpointRounding.AwayFromZero);
        return Math.Clamp(rounded, type.MinValue(), type.MaxValue());
    }
}
