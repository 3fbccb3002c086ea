using System.Buffers.Binary;
using System.Text;

namespace Hush.Imaging.Formats.Npy;

/// <summary>
/// Reads one NPY file (format versions 1.0, 2.0 and 3.0): magic, header, then the raw array.
/// Sizes are checked against the limits and the file length before the sample arrays are allocated.
/// </summary>
internal sealed class NpyDecoderCore(DecoderLimits limits)
{
    // 0x93 then "NUMPY"; a u8 string literal would encode U+0093 as two UTF-8 bytes.
    internal static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Axes, shape, sample type and metadata from the header alone.</summary>
    public ImageStackInfo Identify(ReadOnlySpan<byte> file, string? axes)
    {
        var (header, axisNames, shape, _, metadata) = ReadHeader(file, axes);
        return new ImageStackInfo(axisNames, shape, header.SampleType, metadata);
    }

    public ImageStack Decode(ReadOnlySpan<byte> file, string? axes)
    {
        var (header, axisNames, shape, dataStart, metadata) = ReadHeader(file, axes);
        var storedShape = header.FortranOrder ? shape.Reverse().ToArray() : shape;
        string storedAxes = header.FortranOrder ? new string(axisNames.Reverse().ToArray()) : axisNames;
        long count = shape.Aggregate(1L, (a, b) => a * b);
        var data = new float[count];
        double[]? exact = header.SampleType.NeedsExactData() ? new double[count] : null;
        ReadSamples(file[(int)dataStart..], header, data, exact);

        // A Fortran-order array is the C-order array of the reversed shape; transposing restores the axes.
        var stored = new ImageStack(storedAxes, storedShape, header.SampleType, data, exact, metadata);
        return header.FortranOrder ? stored.Transpose(axisNames) : stored;
    }

    private (NpyHeader Header, string Axes, int[] Shape, long DataStart, StackMetadata Metadata) ReadHeader(ReadOnlySpan<byte> file, string? axes)
    {
        if (file.Length == 0)
            ThrowHelper.ThrowFormat("NPY file is empty");
        if (file.Length < 10 || !file[..6].SequenceEqual(Magic))
            ThrowHelper.ThrowFormat("not an NPY file: the magic string \\x93NUMPY is missing");

        int major = file[6], minor = file[7];
        if (major is not (1 or 2 or 3) || minor != 0)
            ThrowHelper.ThrowFormat($"unsupported NPY version {major}.{minor} (only 1.0, 2.0 and 3.0 exist)");

        // Version 1.0 stores the header length in 2 bytes; 2.0 and 3.0 need 4 for long headers.
        int lengthSize = major == 1 ? 2 : 4;
        if (file.Length < 8 + lengthSize)
            ThrowHelper.ThrowFormat("NPY file is truncated inside the header length");
        long headerLength = major == 1
            ? BinaryPrimitives.ReadUInt16LittleEndian(file[8..])
            : BinaryPrimitives.ReadUInt32LittleEndian(file[8..]);
        long dataStart = 8 + lengthSize + headerLength;
        if (dataStart > file.Length)
            ThrowHelper.ThrowFormat($"NPY header length {headerLength} runs past the end of the {file.Length}-byte file");

        var headerBytes = file[(8 + lengthSize)..(int)dataStart];
        // 1.0 and 2.0 headers are Latin-1; 3.0 allows UTF-8.
        string headerText = major == 3 ? DecodeUtf8(headerBytes) : Encoding.Latin1.GetString(headerBytes);
        var header = NpyHeaderParser.Parse(headerText);

        string axisNames = axes is null ? NpyAxes.Infer(header.Shape) : NpyAxes.Validate(axes, header.Shape);
        int[] shape = CheckShape(header, axisNames, file.Length - dataStart);
        var metadata = new StackMetadata
        {
            Format = $"NPY {major}.0",
            ByteOrder = header.SampleType.ByteSize() == 1 ? SourceByteOrder.NotApplicable
                : header.BigEndian ? SourceByteOrder.BigEndian : SourceByteOrder.LittleEndian,
            AxesSource = axes is null ? "NPY rule" : "caller",
        };
        return (header, axisNames, shape, dataStart, metadata);
    }

    private int[] CheckShape(NpyHeader header, string axes, long dataBytes)
    {
        var dims = header.Shape;
        if (dims.Any(d => d == 0))
            ThrowHelper.ThrowFormat($"NPY array of shape ({string.Join(", ", dims)}) is empty: an image with no pixels");
        long width = dims[axes.IndexOf('X')], height = dims[axes.IndexOf('Y')];
        ThrowHelper.CheckDimensions("NPY", width, height, 1, limits);

        long count = 1;
        foreach (long d in dims)
        {
            if (d > Array.MaxLength || count > Array.MaxLength / d)
                ThrowHelper.ThrowFormat($"NPY array of shape ({string.Join(", ", dims)}) is too large to hold in memory");
            count *= d;
        }
        long bytes = count * header.SampleType.ByteSize();
        // The float32 array the samples become counts too: it is the larger one for 1- and 2-byte types.
        long decoded = Math.Max(bytes, count * sizeof(float));
        if (decoded > limits.MaxDecodedBytes)
            ThrowHelper.ThrowFormat($"NPY array of shape ({string.Join(", ", dims)}) needs {decoded} bytes decoded, over the limit of {limits.MaxDecodedBytes}");
        if (bytes > dataBytes)
            ThrowHelper.ThrowFormat($"NPY data is truncated: shape ({string.Join(", ", dims)}) needs {bytes} bytes but the file holds {dataBytes}");
        return [.. dims.Select(d => (int)d)];
    }

    private static void ReadSamples(ReadOnlySpan<byte> source, NpyHeader header, float[] data, double[]? exact)
    {
        int size = header.SampleType.ByteSize();
        // Convert in slices so no count times size product can overflow an int.
        const int chunk = 1 << 20;
        for (long start = 0; start < data.LongLength; start += chunk)
        {
            int n = (int)Math.Min(chunk, data.LongLength - start);
            SampleCodec.Read(source.Slice((int)(start * size), n * size), header.SampleType, header.BigEndian, data, exact, start, n);
        }
    }

    private static string DecodeUtf8(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw ThrowHelper.Format("NPY 3.0 header is not valid UTF-8", e);
        }
    }
}
