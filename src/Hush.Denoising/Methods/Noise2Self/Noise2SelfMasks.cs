using Hush.Engine;

namespace Hush.Denoising.Methods.Noise2Self;

/// <summary>The masks of Noise2Self on planar [c][y][x] images. A pixel is masked in all its channels at once, so the
/// network never sees any channel of a pixel it is scored on (colour noise is independent between pixels, not
/// necessarily between channels).</summary>
internal static class Noise2SelfMasks
{
    /// <summary>Neighbourhood radius of random-neighbour masking (Noise2Void's 5×5 window).</summary>
    public const int NeighbourRadius = 2;

    /// <summary>True when grid phase <paramref name="phase"/> of period <paramref name="w"/> hides pixel (y, x): the
    /// official masker's (row mod w, col mod w) = (phase mod w, ⌊phase/w⌋ mod w).</summary>
    public static bool InPhase(int phase, int w, int y, int x) => y % w == phase % w && x % w == phase / w % w;

    /// <summary>1 on every channel of the pixels phase <paramref name="phase"/> hides, 0 elsewhere; [c][y][x].</summary>
    public static float[] Grid(int phase, int w, int channels, int height, int width)
    {
        var mask = new float[channels * height * width];
        for (int y = phase % w; y < height; y += w)
            for (int x = phase / w % w; x < width; x += w)
                for (int c = 0; c < channels; c++) mask[(c * height + y) * width + x] = 1f;
        return mask;
    }

    /// <summary>Each channel convolved with [[½,1,½],[1,0,1],[½,1,½]]/6, outside the image taken as 0. The official
    /// masker's conv2d pads with zeros and divides by the kernel's full sum, so border pixels come out darker; Hush
    /// keeps that. (It also sums the channels into one plane; Hush filters each channel on its own.)</summary>
    public static float[] Interpolate(float[] data, int channels, int height, int width)
    {
        var result = new float[data.Length];
        for (int c = 0; c < channels; c++)
        {
            int plane = c * height * width;
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                {
                    float sum = 0f;
                    for (int dy = -1; dy <= 1; dy++)
                        for (int dx = -1; dx <= 1; dx++)
                        {
                            int yy = y + dy, xx = x + dx;
                            if ((dy == 0 && dx == 0) || yy < 0 || yy >= height || xx < 0 || xx >= width) continue;
                            sum += (dy == 0 || dx == 0 ? 1f : 0.5f) * data[plane + yy * width + xx];
                        }
                    result[plane + y * width + x] = sum / 6f;
                }
        }
        return result;
    }

    /// <summary>The network input for a grid mask: masked samples replaced by the interpolation or by zero.</summary>
    public static float[] Fill(float[] data, float[] mask, Noise2SelfFill fill, int channels, int height, int width)
    {
        var filler = fill == Noise2SelfFill.Interpolate ? Interpolate(data, channels, height, width) : null;
        var input = new float[data.Length];
        for (int i = 0; i < data.Length; i++)
            input[i] = mask[i] != 0f ? filler?[i] ?? 0f : data[i];
        return input;
    }

    /// <summary>A uniformly drawn other pixel of (y, x)'s 5×5 neighbourhood inside the image: offsets are redrawn until
    /// they land inside and off the centre (Noise2Void's uniform_withCP may return the pixel itself, which would
    /// let the network copy its target; Hush leaves that out).</summary>
    public static (int Y, int X) Neighbour(int y, int x, int height, int width, Rng rng)
    {
        if (height * width < 2) throw new ArgumentException("random-neighbour masking needs at least two pixels");
        const int span = 2 * NeighbourRadius + 1;
        while (true)
        {
            int dy = (int)(rng.NextFloat() * span) - NeighbourRadius, dx = (int)(rng.NextFloat() * span) - NeighbourRadius;
            int yy = y + dy, xx = x + dx;
            if ((dy != 0 || dx != 0) && yy >= 0 && yy < height && xx >= 0 && xx < width) return (yy, xx);
        }
    }

    /// <summary>One random-neighbour draw: each pixel that <paramref name="eligible"/> allows is picked with probability
    /// <paramref name="fraction"/> and, in the input, takes the values of a random neighbour (all channels from the
    /// same one). Returns the input and the mask of the picked pixels.</summary>
    public static (float[] Input, float[] Mask) RandomNeighbour(float[] data, int channels, int height, int width,
        float fraction, Rng rng, Func<int, int, bool> eligible)
    {
        var input = (float[])data.Clone();
        var mask = new float[data.Length];
        int plane = height * width;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                if (!eligible(y, x) || rng.NextFloat() >= fraction) continue;
                var (ny, nx) = Neighbour(y, x, height, width, rng);
                for (int c = 0; c < channels; c++)
                {
                    input[c * plane + y * width + x] = data[c * plane + ny * width + nx];
                    mask[c * plane + y * width + x] = 1f;
                }
            }
        return (input, mask);
    }
}
