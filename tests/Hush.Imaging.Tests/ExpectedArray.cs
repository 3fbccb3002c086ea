using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;

namespace Hush.Imaging.Tests;

/// <summary>
/// A deliberately minimal reader for the fixtures' NAME.expected.npy files (always NPY 1.0, C order,
/// little-endian), kept independent of <see cref="NpyDecoder"/> so the decoder is not checked against itself.
/// Values are returned as raw 64-bit patterns: the IEEE bits for floats, the integer value otherwise.
/// </summary>
internal sealed partial record ExpectedArray(int[] Shape, string DType, long[] Values)
{
    public static ExpectedArray Load(string path)
    {
        byte[] file = File.ReadAllBytes(path);
        int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(8));
        string header = Encoding.ASCII.GetString(file, 10, headerLength);
        string descr = DescrPattern().Match(header).Groups[1].Value;
        Assert.Contains("'fortran_order': False", header);
        int[] shape = [.. ShapePattern().Match(header).Groups[1].Value
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse)];
        var data = file.AsSpan(10 + headerLength);
        long count = shape.Aggregate(1L, (a, b) => a * b);
        var values = new long[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = descr switch
            {
                "|u1" => data[i],
                "<u2" => BinaryPrimitives.ReadUInt16LittleEndian(data[(2 * i)..]),
                "<i2" => BinaryPrimitives.ReadInt16LittleEndian(data[(2 * i)..]),
                "<u4" => BinaryPrimitives.ReadUInt32LittleEndian(data[(4 * i)..]),
                "<i4" => BinaryPrimitives.ReadInt32LittleEndian(data[(4 * i)..]),
                "<f4" => BinaryPrimitives.ReadInt32LittleEndian(data[(4 * i)..]),
                "<f8" => BinaryPrimitives.ReadInt64LittleEndian(data[(8 * i)..]),
                _ => throw new InvalidOperationException($"unexpected descr {descr} in {path}"),
            };
        }
        return new ExpectedArray(shape, descr, values);
    }

    /// <summary>Asserts that the stack holds exactly this array: shape, dtype and every value bit for bit.</summary>
    public void AssertMatches(ImageStack stack, string manifestDType)
    {
        Assert.Equal(Shape, stack.Shape);
        Assert.Equal(manifestDType, stack.SampleType.NumpyName());
        Assert.Equal(Values.LongLength, stack.Length);
        for (long i = 0; i < Values.LongLength; i++)
        {
            long actual = stack.SampleType switch
            {
                SampleType.Float32 => BitConverter.SingleToInt32Bits(stack.Data[i]),
                SampleType.Float64 => BitConverter.DoubleToInt64Bits(stack.ExactData![i]),
                _ => checked((long)stack.ValueAt(i)),
            };
            if (actual != Values[i])
                Assert.Fail($"sample {i} (of shape {string.Join("x", Shape)}) is {Show(actual, stack.SampleType)}, expected {Show(Values[i], stack.SampleType)}");
        }
    }

    private static string Show(long bits, SampleType type) => type switch
    {
        SampleType.Float32 => $"{BitConverter.Int32BitsToSingle((int)bits)} (0x{bits:X8})",
        SampleType.Float64 => $"{BitConverter.Int64BitsToDouble(bits)} (0x{bits:X16})",
        _ => bits.ToString(),
    };

    [GeneratedRegex(@"'descr':\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'shape':\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
