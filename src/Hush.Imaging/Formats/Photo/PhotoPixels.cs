using SixLabors.ImageSharp.PixelFormats;

namespace Hush.Imaging.Formats.Photo;

/// <summary>Copies between ImageSharp's interleaved 8-bit pixels and the planar [0,1] <see cref="Image"/>.</summary>
internal static class PhotoPixels
{
    public static Image ToImage<TPixel>(TPixel[] pixels, int width, int height)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        int plane = width * height;
        if (pixels is L8[] grey)
        {
            var data = new float[plane];
            for (int p = 0; p < plane; p++)
                data[p] = grey[p].PackedValue / 255f;
            return new Image(width, height, 1, data);
        }

        var rgba = (Rgba32[])(object)pixels;
        var colour = new float[3L * plane];
        // Alpha is kept only where some pixel is not opaque: an opaque alpha channel adds nothing to denoise around.
        float[]? alpha = Array.Exists(rgba, p => p.A != 255) ? new float[plane] : null;
        for (int p = 0; p < plane; p++)
        {
            colour[p] = rgba[p].R / 255f;
            colour[plane + p] = rgba[p].G / 255f;
            colour[2 * plane + p] = rgba[p].B / 255f;
            if (alpha != null)
                alpha[p] = rgba[p].A / 255f;
        }
        return new Image(width, height, 3, colour, 8, alpha);
    }

    public static SixLabors.ImageSharp.Image<L8> ToGrey(Image image)
    {
        var result = new SixLabors.ImageSharp.Image<L8>(image.Width, image.Height);
        var plane = image.Plane(0);
        for (int y = 0; y < image.Height; y++)
            for (int x = 0; x < image.Width; x++)
                result[x, y] = new L8((byte)SampleQuantizer.Quantize(plane[y * image.Width + x], 255));
        return result;
    }

    public static SixLabors.ImageSharp.Image<Rgba32> ToRgba(Image image)
    {
        var result = new SixLabors.ImageSharp.Image<Rgba32>(image.Width, image.Height);
        int plane = image.Width * image.Height;
        for (int y = 0; y < image.Height; y++)
            for (int x = 0; x < image.Width; x++)
            {
                int p = y * image.Width + x;
                byte Sample(int c) => (byte)SampleQuantizer.Quantize(image.Data[(image.Channels == 1 ? 0 : c) * plane + p], 255);
                byte a = image.Alpha is null ? (byte)255 : (byte)SampleQuantizer.Quantize(image.Alpha[p], 255);
                result[x, y] = new Rgba32(Sample(0), Sample(1), Sample(2), a);
            }
        return result;
    }
}
