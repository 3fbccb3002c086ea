namespace Hush.Imaging;

/// <summary>
/// An n-dimensional array of raw samples with named axes, as a TIFF or NPY file holds it.
/// <para>
/// <see cref="Data"/> holds the ORIGINAL sample values (a uint16 pixel of 1000 is 1000f, not 0.015),
/// in C (row-major) order over <see cref="Shape"/>, the layout numpy uses: the last axis varies fastest.
/// So "YXS" (contiguous RGB, as tifffile returns it) is interleaved and "SYX" is planar;
/// <see cref="Transpose"/> moves axes, e.g. <c>stack.Transpose("SYX")</c>.
/// </para>
/// <para>
/// Axes are one upper-case letter each, all different, and always include Y and X. Readers use tifffile's
/// letters: T time, Z depth, C channel, S sample (colour/alpha within a pixel), I image (page without
/// metadata), Q unknown.
/// </para>
/// </summary>
public sealed partial class ImageStack
{
    private readonly int[] shape;

    /// <summary>
    /// Creates a stack. <paramref name="data"/> (and <paramref name="exactData"/>) are used as-is, not copied.
    /// For <see cref="SampleType.UInt32"/>, <see cref="SampleType.Int32"/> and <see cref="SampleType.Float64"/>
    /// without <paramref name="exactData"/>, it is filled from <paramref name="data"/>.
    /// </summary>
    public ImageStack(string axes, IReadOnlyList<int> shape, SampleType sampleType, float[]? data = null,
        double[]? exactData = null, StackMetadata? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(axes);
        ArgumentNullException.ThrowIfNull(shape);
        CheckAxes(axes, shape);
        this.shape = [.. shape];
        long length = 1;
        foreach (int size in shape)
        {
            if (size <= 0)
                throw new ArgumentOutOfRangeException(nameof(shape), $"Axis sizes must be positive; shape is ({string.Join(", ", shape)}).");
            length *= size;
            if (length > Array.MaxLength)
                throw new ArgumentOutOfRangeException(nameof(shape), $"Shape ({string.Join(", ", shape)}) is too large for one array.");
        }
        if (data != null && data.Length != length)
            throw new ArgumentException($"Data has {data.Length} samples, shape needs {length}.", nameof(data));
        if (exactData != null && exactData.Length != length)
            throw new ArgumentException($"Exact data has {exactData.Length} samples, shape needs {length}.", nameof(exactData));
        if (exactData != null && !sampleType.NeedsExactData())
            throw new ArgumentException($"Exact data is only kept for uint32, int32 and float64, not {sampleType.NumpyName()}.", nameof(exactData));

        Axes = axes;
        SampleType = sampleType;
        Data = data ?? new float[length];
        if (sampleType.NeedsExactData())
            exactData ??= Array.ConvertAll(Data, v => (double)v);
        ExactData = exactData;
        Metadata = metadata ?? StackMetadata.None;
    }

    /// <summary>One letter per axis, e.g. "ZCYX", "YXS", "TZYX".</summary>
    public string Axes { get; }

    /// <summary>Size of each axis, in the order of <see cref="Axes"/>.</summary>
    public IReadOnlyList<int> Shape => shape;

    /// <summary>Number of axes.</summary>
    public int Rank => shape.Length;

    /// <summary>The type the samples are stored as.</summary>
    public SampleType SampleType { get; }

    /// <summary>Original sample values as float32, C order over <see cref="Shape"/>.</summary>
    public float[] Data { get; }

    /// <summary>
    /// The same samples as float64, kept only for uint32, int32 and float64, whose values float32 would round.
    /// Writers and <see cref="ValueAt"/> prefer it. It is not kept in sync with <see cref="Data"/>: to change
    /// samples, build a new stack with <see cref="WithData"/>.
    /// </summary>
    public double[]? ExactData { get; }

    /// <summary>What the source file said about itself (format, byte order, compression, ...).</summary>
    public StackMetadata Metadata { get; }

    /// <summary>Number of samples.</summary>
    public long Length => Data.LongLength;

    /// <summary>Size of the X axis.</summary>
    public int Width => SizeOf('X');

    /// <summary>Size of the Y axis.</summary>
    public int Height => SizeOf('Y');

    /// <summary>The size of <paramref name="axis"/>, or 1 when the stack has no such axis.</summary>
    public int SizeOf(char axis)
    {
        int index = Axes.IndexOf(axis);
        return index < 0 ? 1 : shape[index];
    }

    /// <summary>The exact value of sample <paramref name="index"/> (C order).</summary>
    public double ValueAt(long index) => ExactData != null ? ExactData[index] : Data[index];

    /// <summary>The same samples under other axis names (same shape, same order).</summary>
    public ImageStack WithAxes(string axes) => new(axes, shape, SampleType, Data, ExactData, Metadata with { AxesSource = "caller" });

    /// <summary>New samples with the same axes, type and metadata; drops <see cref="ExactData"/> (rebuilt from the floats).</summary>
    public ImageStack WithData(float[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new ImageStack(Axes, shape, SampleType, data, null, Metadata);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Axes} ({string.Join(", ", shape)}) {SampleType.NumpyName()}";

    internal static void CheckAxes(string axes, IReadOnlyList<int> shape)
    {
        if (axes.Length != shape.Count)
            throw new ArgumentException($"Axes '{axes}' name {axes.Length} axes but the shape has {shape.Count}.", nameof(axes));
        for (int i = 0; i < axes.Length; i++)
        {
            if (axes[i] is < 'A' or > 'Z')
                throw new ArgumentException($"Axes '{axes}' must be upper-case letters.", nameof(axes));
            if (axes.IndexOf(axes[i], i + 1) >= 0)
                throw new ArgumentException($"Axes '{axes}' name axis '{axes[i]}' twice.", nameof(axes));
        }
        if (!axes.Contains('Y') || !axes.Contains('X'))
            throw new ArgumentException($"Axes '{axes}' must include Y and X.", nameof(axes));
    }
}
