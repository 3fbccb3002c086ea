using Hush.Imaging.Formats;
using Hush.Imaging.Formats.Npy;

namespace Hush.Imaging;

/// <summary>
/// Reads NumPy <c>.npy</c> arrays (format 1.0, 2.0, 3.0; C or Fortran order; any byte order) of
/// bool, uint8, uint16, int16, uint32, int32, float32 or float64 into an <see cref="ImageStack"/>.
/// NPY stores no axis names: pass <c>axes</c> (e.g. "TYX") or let the rule in <c>README.md</c> pick them
/// (2-D YX; 3-D YXC if the last size is 3 or 4, else ZYX; 4-D ZYXC or ZCYX by the same test).
/// </summary>
public static class NpyDecoder
{
    /// <summary>Reads an NPY file from <paramref name="stream"/>; <paramref name="axes"/> names its axes (else the NPY axis rule).</summary>
    public static ImageStack Decode(Stream stream, DecoderLimits? limits = null, string? axes = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Decode(StreamBytes.ReadAll(stream, "NPY"), limits, axes);
    }

    /// <summary>Reads an NPY file held in <paramref name="bytes"/>; <paramref name="axes"/> names its axes (else the NPY axis rule).</summary>
    public static ImageStack Decode(ReadOnlySpan<byte> bytes, DecoderLimits? limits = null, string? axes = null) =>
        new NpyDecoderCore(limits ?? DecoderLimits.Default).Decode(bytes, axes);

    /// <summary>True when the bytes start with the NPY magic string.</summary>
    public static bool IsNpy(ReadOnlySpan<byte> bytes) => bytes.Length >= 6 && bytes[..6].SequenceEqual(NpyDecoderCore.Magic);
}
