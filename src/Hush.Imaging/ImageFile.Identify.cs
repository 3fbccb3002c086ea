using Hush.Imaging.Formats.Npy;
using Hush.Imaging.Formats.Photo;
using Hush.Imaging.Formats.Png;
using Hush.Imaging.Formats.Pnm;
using Hush.Imaging.Formats.Tiff;

namespace Hush.Imaging;

/// <summary>Describing a file from its header, without decoding its samples.</summary>
public static partial class ImageFile
{
    /// <summary>
    /// The axes, shape, sample type and metadata <see cref="ReadStack"/> would give, read from the header alone:
    /// TIFF IFDs (through a memory map: only the pages holding them are read, whatever the file's size), the NPY
    /// header and PNG chunks (nothing inflated; above 1 MB through a memory map, so nothing of the file is copied into
    /// memory), the PNM header, a photo's header (through ImageSharp's Identify).
    /// Other formats cost a read of the file; none is decoded, however large the image.
    /// </summary>
    public static ImageStackInfo Identify(string path, DecoderLimits? limits = null, string? axes = null)
    {
        limits ??= DecoderLimits.Default;
        if (StartsLikeTiff(path, out long length))
            return WithPath(path, () => Renamed(TiffMappedIdentify.Identify(path, length, limits), axes));
        if (length > MappedAbove && StartsWith(path, out bool png, out bool npy) && (png || npy))
            return WithPath(path, () => MappedFile.Read(path, length, file => png
                ? Renamed(IdentifyPng(file, limits), axes)
                : new NpyDecoderCore(limits).Identify(file, axes)));
        byte[] bytes = ReadBytes(path);
        return WithPath(path, () =>
        {
            if (IsStackFormat(bytes, path))
            {
                bool npy = NpyDecoder.IsNpy(bytes) || (!TiffDecoder.IsTiff(bytes) && Path.GetExtension(path).Equals(".npy", StringComparison.OrdinalIgnoreCase));
                if (npy)
                    return new NpyDecoderCore(limits).Identify(bytes, axes);
                return Renamed(new TiffDecoderCore(limits).Identify(bytes), axes);
            }
            return Renamed(IdentifyPlain(bytes, limits), axes);
        });
    }

    /// <summary>Files above this size are described through a memory map (PNG, NPY) rather than read whole.</summary>
    private const long MappedAbove = 1 << 20;

    /// <summary>Whether the file starts with the PNG signature or the NPY magic.</summary>
    private static bool StartsWith(string path, out bool png, out bool npy)
    {
        png = npy = false;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            Span<byte> start = stackalloc byte[8];
            if (stream.ReadAtLeast(start, 8, throwOnEndOfStream: false) < 8) return false;
            png = PngSignature.Matches(start);
            npy = NpyDecoder.IsNpy(start);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // ReadBytes reports it with the file's name
        }
    }

    /// <summary>True for an existing file of at least 16 bytes that starts with a TIFF header.</summary>
    private static bool StartsLikeTiff(string path, out long length)
    {
        length = 0;
        try
        {
            using var stream = new FileStream(path ?? throw new ArgumentNullException(nameof(path)), FileMode.Open, FileAccess.Read, FileShare.Read);
            length = stream.Length;
            Span<byte> start = stackalloc byte[4];
            return length >= 16 && stream.ReadAtLeast(start, 4, throwOnEndOfStream: false) == 4 && TiffDecoder.IsTiff(start);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // ReadBytes reports it with the file's name
        }
    }

    private static ImageStackInfo IdentifyPlain(byte[] bytes, DecoderLimits limits)
    {
        string format = PlainFormatName(bytes);
        if (PngSignature.Matches(bytes)) return IdentifyPng(bytes, limits);
        if (IsPnm(bytes))
        {
            var (width, height, channels, maxValue) = new PnmDecoderCore(bytes, limits).Identify();
            int bitDepth = maxValue > 255 ? 16 : 8;
            return Plain(format, width, height, channels, SampleTypeOf(bitDepth), maxValue != (1 << bitDepth) - 1 ? maxValue : null);
        }
        if (PhotoDecoder.IsPhoto(bytes))
        {
            var info = PhotoDecoder.Identify(bytes, limits);
            return Plain(format, info.Width, info.Height, info.Channels + (info.MayHaveAlpha ? 1 : 0), SampleType.UInt8, null);
        }
        Decode(bytes, limits); // throws the "unsupported format" message
        throw new InvalidOperationException("unreachable: Decode accepted an unknown format");
    }

    private static ImageStackInfo IdentifyPng(ReadOnlySpan<byte> bytes, DecoderLimits limits)
    {
        var (width, height, channels, alpha, bitDepth) = new PngDecoderCore(limits).Identify(bytes);
        return Plain("PNG", width, height, channels + (alpha ? 1 : 0), SampleTypeOf(bitDepth), null);
    }

    /// <summary>The sample type <see cref="ImageStack.FromImage"/> picks for an image of <paramref name="bitDepth"/>.</summary>
    private static SampleType SampleTypeOf(int bitDepth) => bitDepth switch
    {
        1 => SampleType.Bool,
        <= 8 => SampleType.UInt8,
        _ => SampleType.UInt16,
    };

    private static ImageStackInfo Plain(string format, int width, int height, int samples, SampleType type, int? maxValue)
    {
        var metadata = new StackMetadata
        {
            Format = format,
            Photometric = samples >= 3 ? Photometric.Rgb : Photometric.MinIsBlack,
            MaxValue = maxValue,
        };
        return samples == 1
            ? new ImageStackInfo("YX", [height, width], type, metadata)
            : new ImageStackInfo("YXS", [height, width, samples], type, metadata);
    }

    private static ImageStackInfo Renamed(ImageStackInfo info, string? axes)
    {
        if (axes is null)
            return info;
        string upper = axes.ToUpperInvariant();
        try
        {
            ImageStack.CheckAxes(upper, info.Shape);
        }
        catch (ArgumentException e)
        {
            throw new ImageFormatException($"axes '{axes}' do not fit the file's {info.Axes} ({string.Join(", ", info.Shape)}): {e.Message}", null, e);
        }
        return info with { Axes = upper, Metadata = info.Metadata with { AxesSource = "caller" } };
    }
}
