using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Hush.Imaging.Formats;

namespace Hush.Imaging;

/// <summary>
/// Writes an <see cref="ImageStack"/> as an NPY array: format 1.0 (2.0 only if the header would not fit),
/// little-endian, C order, the stack's own sample type and shape. Axis names are not stored.
/// </summary>
public static class NpyEncoder
{
    /// <summary>Writes <paramref name="stack"/> as NPY (version 1.0, or 2.0 when the header needs it; C order; its own sample type).</summary>
    public static void Encode(ImageStack stack, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(stream);

        string shape = stack.Rank == 1 ? $"({stack.Shape[0]},)" : $"({string.Join(", ", stack.Shape)})";
        string dict = $"{{'descr': '{Descr(stack.SampleType)}', 'fortran_order': False, 'shape': {shape}, }}";
        bool version2 = dict.Length + 1 + 10 > ushort.MaxValue;
        int prefix = version2 ? 12 : 10;
        // numpy pads with spaces and a final newline so the data starts on a 64-byte boundary.
        int total = (prefix + dict.Length + 1 + 63) / 64 * 64;
        string header = dict.PadRight(total - prefix - 1) + "\n";

        var start = new byte[prefix];
        Formats.Npy.NpyDecoderCore.Magic.CopyTo(start);
        start[6] = (byte)(version2 ? 2 : 1);
        if (version2)
            BinaryPrimitives.WriteUInt32LittleEndian(start.AsSpan(8), (uint)header.Length);
        else
            BinaryPrimitives.WriteUInt16LittleEndian(start.AsSpan(8), (ushort)header.Length);
        stream.Write(start);
        stream.Write(Encoding.Latin1.GetBytes(header));

        int size = stack.SampleType.ByteSize();
        const int chunk = 1 << 16;
        var buffer = new byte[chunk * size];
        for (long i = 0; i < stack.Length; i += chunk)
        {
            int n = (int)Math.Min(chunk, stack.Length - i);
            SampleCodec.WriteLittleEndian(stack, i, n, buffer);
            stream.Write(buffer, 0, n * size);
        }
    }

    private static string Descr(SampleType type) => type switch
    {
        SampleType.Bool => "|b1",
        SampleType.UInt8 => "|u1",
        _ => string.Create(CultureInfo.InvariantCulture, $"<{(type.IsFloat() ? 'f' : type is SampleType.Int16 or SampleType.Int32 ? 'i' : 'u')}{type.ByteSize()}"),
    };
}
