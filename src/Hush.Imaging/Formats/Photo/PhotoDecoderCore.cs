using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Hush.Imaging.Formats.Photo;

/// <summary>
/// Reads JPEG, BMP, GIF (first frame) and WebP through ImageSharp. The header is identified first and checked
/// against the limits before any pixel is decoded; every exception ImageSharp throws becomes an
/// <see cref="ImageFormatException"/>. Pixels come out upright (EXIF orientation applied), 8 bits a sample.
/// </summary>
internal sealed class PhotoDecoderCore(DecoderLimits limits)
{
    private readonly Configuration configuration = ImageSharpSetup.For(limits);

    public PhotoInfo Identify(byte[] bytes)
    {
        var format = PhotoFormats.Detect(bytes);
        if (format == PhotoFormat.None)
            ThrowHelper.ThrowFormat("not a JPEG, BMP, GIF or WebP file");
        string name = PhotoFormats.Name(format);
        var info = Translated(name, () => SixLabors.ImageSharp.Image.Identify(configuration, bytes, out _));
        if (info is null)
            throw ThrowHelper.Format($"{name} file has no readable image header");
        int orientation = OrientationOf(info.Metadata);
        var (width, height) = orientation >= 5 ? (info.Height, info.Width) : (info.Width, info.Height);
        // Grey JPEGs decode to one channel; every other photo to RGB (BMP and GIF palettes may hold greys, but
        // the file does not say the image is grey).
        bool grey = format == PhotoFormat.Jpeg && info.PixelType.BitsPerPixel == 8;
        bool mayHaveAlpha = format == PhotoFormat.Gif || info.PixelType.BitsPerPixel >= 32 && format != PhotoFormat.Jpeg;
        ThrowHelper.CheckDimensions(name, width, height, grey ? 1 : mayHaveAlpha ? 4 : 3, limits);
        ThrowHelper.CheckInflation(name, (long)width * height * (grey ? 1 : 4), bytes.Length, limits);
        return new PhotoInfo(format, width, height, grey ? 1 : 3, mayHaveAlpha, orientation);
    }

    public Image Decode(byte[] bytes)
    {
        var info = Identify(bytes);
        return info.Channels == 1 ? Decode<L8>(bytes, info) : Decode<Rgba32>(bytes, info);
    }

    private Image Decode<TPixel>(byte[] bytes, PhotoInfo info)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        return Translated(info.Name, () =>
        {
            using var stream = new MemoryStream(bytes, writable: false);
            using var decoded = info.Format == PhotoFormat.Gif
                ? SixLabors.ImageSharp.Image.Load<TPixel>(configuration, stream, new GifDecoder { DecodingMode = FrameDecodingMode.First })
                : SixLabors.ImageSharp.Image.Load<TPixel>(configuration, stream);
            decoded.Mutate(x => x.AutoOrient());
            if (decoded.Width != info.Width || decoded.Height != info.Height)
                throw ThrowHelper.Format($"{info.Name} decoded to {decoded.Width}x{decoded.Height}, but its header says {info.Width}x{info.Height}");
            var pixels = new TPixel[(long)decoded.Width * decoded.Height];
            decoded.CopyPixelDataTo(pixels);
            return PhotoPixels.ToImage(pixels, decoded.Width, decoded.Height);
        });
    }

    private static int OrientationOf(ImageMetadata metadata)
    {
        var value = metadata.ExifProfile?.GetValue(ExifTag.Orientation);
        return value is null || value.Value is < 1 or > 8 ? 1 : value.Value;
    }

    /// <summary>Runs ImageSharp and turns whatever it throws on bad input into our one exception type.</summary>
    private static T Translated<T>(string name, Func<T> run)
    {
        try
        {
            return run();
        }
        catch (ImageFormatException)
        {
            throw;
        }
        catch (OutOfMemoryException)
        {
            throw;
        }
        // ImageSharp reports bad input with several types of its own (UnknownImageFormatException,
        // InvalidImageContentException, InvalidMemoryOperationException, NotSupportedException) and, on some
        // corrupt streams, with framework exceptions; for a caller they all mean "this file cannot be read".
        catch (Exception e)
        {
            throw ThrowHelper.Format($"{name} data cannot be decoded ({e.GetType().Name}: {e.Message})", e);
        }
    }
}
