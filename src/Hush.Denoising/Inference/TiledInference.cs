using Hush.Denoising.Methods;
using Hush.Engine;
using Hush.Imaging;

namespace Hush.Denoising.Inference;

/// <summary>Runs a trained model over an image tile by tile, so inference memory depends on the tile, not the image.
/// Each tile is read with a halo of the model's receptive radius around it (clipped at the image border, where the
/// network's own zero padding applies as in a whole-image pass), and only the tile's own pixels are kept: every
/// kept pixel then sees exactly the neighbourhood it sees in a whole-image pass, so the seams are invisible.</summary>
internal static class TiledInference
{
    /// <summary>Denoised colour data, planar [c][y][x]; tiles of at most <paramref name="tile"/>×<paramref name="tile"/>
    /// output pixels (int.MaxValue: one pass over the whole image).</summary>
    public static float[] Run(ITrainedModel model, Image image, int tile, TensorArena arena, CancellationToken cancel = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tile, 1);
        int width = image.Width, height = image.Height, radius = model.ReceptiveRadius;
        var output = new float[image.Data.Length];
        var inputs = new Dictionary<(int, int), float[]>(); // one input buffer per tile size
        using var _ = Autograd.NoGrad();
        for (int y0 = 0; y0 < height; y0 += tile)
        {
            int h = Math.Min(tile, height - y0);
            for (int x0 = 0; x0 < width; x0 += tile)
            {
                cancel.ThrowIfCancellationRequested();
                int w = Math.Min(tile, width - x0);
                var (hx, hy) = (Math.Max(0, x0 - radius), Math.Max(0, y0 - radius));
                int hw = Math.Min(width, x0 + w + radius) - hx, hh = Math.Min(height, y0 + h + radius) - hy;
                using (arena.Activate())
                {
                    if (!inputs.TryGetValue((hw, hh), out var buffer))
                        inputs[(hw, hh)] = buffer = new float[image.Channels * hw * hh];
                    var denoised = model.Apply(ImageTensors.ToTensor(image, hx, hy, hw, hh, buffer));
                    CopyCore(denoised.Data, hw, hh, x0 - hx, y0 - hy, w, h, output, width, height, x0, y0, image.Channels);
                }
                arena.Reset(); // the next tile reuses this tile's buffers
            }
        }
        return output;
    }

    /// <summary>Copies the w×h block at (cx, cy) of a [C,hh,hw] tile into the [C,height,width] output at (x0, y0).</summary>
    private static void CopyCore(float[] tile, int hw, int hh, int cx, int cy, int w, int h,
        float[] output, int width, int height, int x0, int y0, int channels)
    {
        for (int c = 0; c < channels; c++)
            for (int row = 0; row < h; row++)
                tile.AsSpan((int)(((long)c * hh + cy + row) * hw + cx), w)
                    .CopyTo(output.AsSpan((int)(((long)c * height + y0 + row) * width + x0), w));
    }
}
