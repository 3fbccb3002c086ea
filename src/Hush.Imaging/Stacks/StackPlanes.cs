namespace Hush.Imaging;

/// <summary>
/// Splits a stack into the 2-D images a denoiser works on, in [0,1], and builds the output stack from the
/// denoised images, with the input's axes, shape and sample type.
/// <list type="bullet">
/// <item>Planes: every position of the axes other than Y, X and the joint channel axis (Z, T, ...). The joint
/// axis is S (samples of a pixel: grey + alpha, RGB, RGBA, where alpha is carried through, not denoised, as in
/// <see cref="ImageStack.ToImage"/>), else C with at most 4 channels (all denoised together as one multi-channel
/// image). A C axis with more than 4 channels is split: each channel is a plane of its own.</item>
/// <item>Integers are scaled by their type's range to [0,1] and back (rounded, clamped); Bool data comes back as
/// uint8, since a denoised binary image has grey levels.</item>
/// <item>Floats already within [0,1] are used as they are. A plane with values outside [0,1] is mapped by its
/// own (min, max) to [0,1] for the denoiser and back to (min, max) afterwards.</item>
/// <item>NaN or infinite samples are refused (<see cref="ImageFormatException"/>).</item>
/// </list>
/// </summary>
public sealed class StackPlanes
{
    private readonly ImageStack _stack;
    private readonly char? _joint;
    private readonly int _samples, _colours;
    private readonly int[] _outerAxes; // indices into the stack's axes
    private readonly long[] _strides;
    private readonly long _strideY, _strideX, _strideS;
    private readonly (double Offset, double Scale)[] _mapping; // plane value v in [0,1] ↔ offset + scale·v in samples
    private readonly bool _overwriteInput;
    private float[]? _output; // made at the first Write (or ToStack), so reading planes alone copies nothing

    /// <param name="stack">The stack to denoise.</param>
    /// <param name="overwriteInput">Build the output in the input's own sample array instead of a copy (one copy of a huge
    /// image less); the input stack then holds the output's samples. Ignored for Bool, whose output type differs.</param>
    public StackPlanes(ImageStack stack, bool overwriteInput = false)
    {
        ArgumentNullException.ThrowIfNull(stack);
        _stack = stack;
        (_joint, _samples, _colours) = Layout(stack.Axes, stack.Shape);
        if (_joint == 'S' && _samples > 4)
            throw new ImageFormatException($"{stack} has {_samples} samples per pixel; at most 4 (grey, grey + alpha, RGB, RGBA) are supported");
        _outerAxes = [.. Enumerable.Range(0, stack.Rank).Where(i => stack.Axes[i] is not ('Y' or 'X') && stack.Axes[i] != _joint)];
        _strides = ImageStack.Strides(stack.Shape);
        _strideY = _strides[stack.Axes.IndexOf('Y')];
        _strideX = _strides[stack.Axes.IndexOf('X')];
        _strideS = _joint is char a ? _strides[stack.Axes.IndexOf(a)] : 0;
        long count = CountOf(stack);
        if (count > Array.MaxLength)
            throw new ImageFormatException($"{stack} has {count} planes, too many to denoise one by one");
        Count = (int)count;
        _mapping = new (double, double)[Count];
        OutputType = stack.SampleType == SampleType.Bool ? SampleType.UInt8 : stack.SampleType;
        _overwriteInput = overwriteInput;
    }

    // Samples that are not denoised (alpha) keep their value; Bool 0/1 becomes uint8 0/255.
    // Each plane is read before it is written, and planes do not overlap, so writing in place is safe.
    private float[] Output => _output ??= OutputType != _stack.SampleType ? Array.ConvertAll(_stack.Data, v => v * 255f)
        : _overwriteInput ? _stack.Data : (float[])_stack.Data.Clone();

    /// <summary>How many 2-D images the stack splits into.</summary>
    public int Count { get; }

    /// <summary>How many 2-D images <paramref name="stack"/> splits into, without preparing anything.</summary>
    public static long CountOf(ImageStack stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        return CountOf(stack.Axes, stack.Shape);
    }

    /// <summary>How many 2-D images a file described by <paramref name="info"/> splits into.</summary>
    public static long CountOf(ImageStackInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        return CountOf(info.Axes, info.Shape);
    }

    /// <summary>Colour channels per plane (denoised together; alpha not counted) of <paramref name="stack"/>.</summary>
    public static int ChannelsOf(ImageStack stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        return Layout(stack.Axes, stack.Shape).Colours;
    }

    /// <summary>Colour channels per plane of a file described by <paramref name="info"/>.</summary>
    public static int ChannelsOf(ImageStackInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        return Layout(info.Axes, info.Shape).Colours;
    }

    private static long CountOf(string axes, IReadOnlyList<int> shape)
    {
        char? joint = JointAxis(axes, shape);
        long count = 1;
        for (int i = 0; i < axes.Length; i++)
            if (axes[i] is not ('Y' or 'X') && axes[i] != joint)
                count *= shape[i];
        return count;
    }

    /// <summary>The axis whose entries are denoised together: S, else C with at most 4 channels, else none.</summary>
    private static char? JointAxis(string axes, IReadOnlyList<int> shape) =>
        axes.Contains('S') ? 'S' : axes.Contains('C') && shape[axes.IndexOf('C')] <= 4 ? 'C' : null;

    /// <summary>The joint axis, its size, and how many of its entries are colour (S of 2 or 4 ends in alpha).</summary>
    private static (char? Joint, int Samples, int Colours) Layout(string axes, IReadOnlyList<int> shape)
    {
        char? joint = JointAxis(axes, shape);
        int samples = joint is char j ? shape[axes.IndexOf(j)] : 1;
        return (joint, samples, joint == 'S' && samples is 2 or 4 ? samples - 1 : samples);
    }

    /// <summary>Colour channels per plane (denoised together).</summary>
    public int Channels => _colours;

    /// <summary>Width of every plane.</summary>
    public int Width => _stack.Width;

    /// <summary>Height of every plane.</summary>
    public int Height => _stack.Height;

    /// <summary>The output's sample type: the input's, except Bool, which becomes UInt8.</summary>
    public SampleType OutputType { get; }

    /// <summary>The plane's position, e.g. "Z=3 C=1" (empty for a single plane).</summary>
    public string Describe(int index) =>
        string.Join(' ', Coordinates(index).Select((c, i) => $"{_stack.Axes[_outerAxes[i]]}={c}"));

    /// <summary>Plane <paramref name="index"/> as an image in [0,1] (alpha, if any, as it is stored).</summary>
    public Image Read(int index)
    {
        long origin = Origin(index);
        int plane = Width * Height;
        var raw = new float[(long)plane * _colours];
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        for (int c = 0; c < _colours; c++)
            for (int p = 0; p < plane; p++)
            {
                double v = _stack.ValueAt(Offset(origin, c, p));
                if (!double.IsFinite(v))
                    throw new ImageFormatException($"{Where(index)}contains NaN or infinite values");
                min = Math.Min(min, v);
                max = Math.Max(max, v);
                raw[(long)c * plane + p] = (float)v;
            }

        var (offset, scale) = _mapping[index] = Mapping(min, max);
        if (offset != 0 || scale != 1)
            for (long i = 0; i < raw.LongLength; i++)
                raw[i] = (float)((raw[i] - offset) / scale);
        int bitDepth = _stack.SampleType is SampleType.Bool or SampleType.UInt8 ? 8 : 16;
        return new Image(Width, Height, _colours, raw, bitDepth, ReadAlpha(origin));
    }

    /// <summary>Stores the denoised plane <paramref name="index"/> (read before with <see cref="Read"/>).</summary>
    public void Write(int index, Image denoised)
    {
        ArgumentNullException.ThrowIfNull(denoised);
        if (denoised.Width != Width || denoised.Height != Height || denoised.Channels != _colours)
            throw new ArgumentException($"plane {index} must be {Width}x{Height} with {_colours} channels", nameof(denoised));
        var (offset, scale) = OutputMapping(index);
        long origin = Origin(index);
        int plane = Width * Height;
        var output = Output;
        for (int c = 0; c < _colours; c++)
            for (int p = 0; p < plane; p++)
                output[Offset(origin, c, p)] = (float)OutputType.Coerce(offset + scale * denoised.Data[(long)c * plane + p]);
    }

    /// <summary>The output stack: the input's axes, shape and metadata, <see cref="OutputType"/> samples.</summary>
    public ImageStack ToStack() => new(_stack.Axes, _stack.Shape, OutputType, Output, null, _stack.Metadata);

    /// <summary>How <see cref="Read"/> mapped plane <paramref name="index"/> into [0,1]: a stored sample is
    /// <c>Offset + Scale·v</c> for the plane value v. The plane must have been read.</summary>
    /// <exception cref="InvalidOperationException">Plane <paramref name="index"/> was not read yet.</exception>
    public (double Offset, double Scale) MappingOf(int index)
    {
        Origin(index); // range check
        var mapping = _mapping[index];
        return mapping.Scale != 0 ? mapping : throw new InvalidOperationException($"plane {index} has not been read");
    }

    private (double Offset, double Scale) Mapping(double min, double max)
    {
        var type = _stack.SampleType;
        if (type.IsInteger())
            return (type.MinValue(), type.MaxValue() - type.MinValue());
        if (min >= 0 && max <= 1)
            return (0, 1);
        return (min, max > min ? max - min : 1);
    }

    private (double Offset, double Scale) OutputMapping(int index) =>
        OutputType == _stack.SampleType ? _mapping[index] : (0, OutputType.MaxValue());

    private float[]? ReadAlpha(long origin)
    {
        if (_colours == _samples)
            return null;
        var type = _stack.SampleType;
        var (offset, scale) = type.IsInteger() ? Mapping(0, 0) : (0, 1);
        var alpha = new float[Width * Height];
        for (int p = 0; p < alpha.Length; p++)
            alpha[p] = (float)((_stack.ValueAt(Offset(origin, _colours, p)) - offset) / scale);
        return alpha;
    }

    private string Where(int index) => Count == 1 ? "" : $"plane {Describe(index)} ";

    private long Offset(long origin, int sample, int pixel) =>
        origin + sample * _strideS + pixel / Width * _strideY + pixel % Width * _strideX;

    private long Origin(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        var coordinates = Coordinates(index);
        long origin = 0;
        for (int i = 0; i < _outerAxes.Length; i++)
            origin += coordinates[i] * _strides[_outerAxes[i]];
        return origin;
    }

    /// <summary>The plane's coordinate on each outer axis, the last outer axis varying fastest (C order).</summary>
    private int[] Coordinates(int index)
    {
        var coordinates = new int[_outerAxes.Length];
        for (int i = _outerAxes.Length - 1; i >= 0; i--)
        {
            int size = _stack.Shape[_outerAxes[i]];
            coordinates[i] = index % size;
            index /= size;
        }
        return coordinates;
    }
}
