using System.Buffers.Binary;
using System.Text;

namespace Hush.Imaging.Tests;

/// <summary>Writing a stack as NPY and reading it back gives the same samples, shape and type.</summary>
public class NpyRoundTripTests
{
    public static TheoryData<SampleType> Types()
    {
        var data = new TheoryData<SampleType>();
        foreach (var type in Stacks.AllTypes)
            data.Add(type);
        return data;
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Every_sample_type_round_trips(SampleType type)
    {
        var stack = Stacks.Random("YX", [23, 37], type, seed: (int)type);
        Stacks.AssertSame(stack, RoundTrip(stack));
    }

    [Theory]
    [InlineData("YX", new[] { 5, 6 })]
    [InlineData("YXC", new[] { 5, 6, 3 })]
    [InlineData("ZYX", new[] { 2, 5, 6 })]
    [InlineData("ZYXC", new[] { 2, 5, 6, 4 })]
    [InlineData("ZCYX", new[] { 2, 2, 5, 6 })]
    public void Axes_follow_the_shape_rule(string axes, int[] shape)
    {
        var stack = Stacks.Random(axes, shape, SampleType.UInt16, seed: 1);
        Stacks.AssertSame(stack, RoundTrip(stack));
    }

    [Fact]
    public void Header_is_version_1_little_endian_c_order_and_64_byte_aligned()
    {
        using var stream = new MemoryStream();
        NpyEncoder.Encode(Stacks.Random("ZYX", [2, 3, 4], SampleType.Int16, seed: 2), stream);
        byte[] file = stream.ToArray();
        Assert.Equal([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0], file[..8]);
        int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(8));
        Assert.Equal(0, (10 + headerLength) % 64);
        string header = Encoding.Latin1.GetString(file, 10, headerLength);
        Assert.StartsWith("{'descr': '<i2', 'fortran_order': False, 'shape': (2, 3, 4), }", header);
        Assert.EndsWith("\n", header);
        Assert.Equal(10 + headerLength + 2 * 3 * 4 * 2, file.Length);
    }

    [Fact]
    public void Rank_5_needs_explicit_axes()
    {
        var stack = Stacks.Random("TZCYX", [2, 2, 2, 3, 3], SampleType.UInt8, seed: 3);
        using var stream = new MemoryStream();
        NpyEncoder.Encode(stack, stream);
        var e = Assert.Throws<ImageFormatException>(() => NpyDecoder.Decode(stream.ToArray()));
        Assert.Contains("pass axes explicitly", e.Message);
        Stacks.AssertSame(stack, NpyDecoder.Decode(stream.ToArray(), axes: "TZCYX"));
    }

    [Theory]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), 'extra': 1}", "unexpected value")]
    [InlineData("{'descr': '<f4', 'fortran_order': 'no', 'shape': (2, 3), }", "not True or False")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }", "invalid dimension")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999, 3), }", "invalid dimension")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (6,), }", "1 dimensions")]
    [InlineData("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", "repeats the key")]
    [InlineData("{'descr': '<U8', 'fortran_order': False, 'shape': (2, 3), }", "(strings)")]
    [InlineData("{'descr': '<f2', 'fortran_order': False, 'shape': (2, 3), }", "unsupported NPY dtype '<f2'")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), } junk", "after the closing")]
    public void Bad_headers_are_rejected(string header, string reason)
    {
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 };
        byte[] text = Encoding.Latin1.GetBytes(header + "\n");
        bytes.AddRange(BitConverter.GetBytes((ushort)text.Length));
        bytes.AddRange(text);
        bytes.AddRange(new byte[24]);
        var e = Assert.Throws<ImageFormatException>(() => NpyDecoder.Decode(bytes.ToArray()));
        Assert.Contains(reason, e.Message);
    }

    private static ImageStack RoundTrip(ImageStack stack)
    {
        using var stream = new MemoryStream();
        NpyEncoder.Encode(stack, stream);
        return NpyDecoder.Decode(stream.ToArray());
    }
}
