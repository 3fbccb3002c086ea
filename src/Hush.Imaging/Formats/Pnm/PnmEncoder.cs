using System.Text;
using Hush.Imaging.Formats;

namespace Hush.Imaging;

/// <summary>
/// Writes binary Netpbm: P5 for grey, P6 for RGB, maxval 255 (8-bit) or 65535 (16-bit big-endian), or the
/// image's own <see cref="Image.MaxValue"/> when it fits the requested depth (a 10-bit file's 1023 stays 1023).
/// PNM has no alpha channel, so alpha is dropped.
/// </summary>
public static class PnmEncoder
{
    /// <summary>Writes <paramref name="image"/> as binary PGM (grey) or PPM (RGB) with 8 or 16 bits per sample.</summary>
    public static void Encode(Image image, Stream stream, int bitDepth = 8)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(stream);
        SampleQuantizer.CheckBitDepth(bitDepth);
        if (image.Channels is not (1 or 3))
            throw new ArgumentException($"PNM can store 1 (grey) or 3 (RGB) channels, not {image.Channels}.", nameof(image));

        int maxValue = MaxValueFor(image, bitDepth);
        string magic = image.Channels == 1 ? "P5" : "P6";
        stream.Write(Encoding.ASCII.GetBytes($"{magic}\n{image.Width} {image.Height}\n{maxValue}\n"));

        int bytesPerSample = maxValue > 255 ? 2 : 1;
        int planeLength = image.Width * image.Height;
        var row = new byte[image.Width * image.Channels * bytesPerSample];
        for (int y = 0; y < image.Height; y++)
        {
            int index = 0;
            for (int x = 0; x < image.Width; x++)
            {
                for (int c = 0; c < image.Channels; c++)
                {
                    int sample = SampleQuantizer.Quantize(image.Data[c * planeLength + y * image.Width + x], maxValue);
                    if (bytesPerSample == 2)
                        row[index++] = (byte)(sample >> 8);
                    row[index++] = (byte)sample;
                }
            }
            stream.Write(row);
        }
    }

    /// <summary>The image's maxval when it needs the same sample width as <paramref name="bitDepth"/>, else the full range.</summary>
    private static int MaxValueFor(Image image, int bitDepth)
    {
        bool sameWidth = bitDepth == 16 ? image.MaxValue > 255 : image.MaxValue <= 255;
        return sameWidth ? image.MaxValue : (1 << bitDepth) - 1;
    }
}
