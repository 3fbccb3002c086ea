using Hush.Engine;

namespace Hush.Denoising.Methods.ZsN2N;

/// <summary>
/// The stopping rule's held-out set for ZS-N2N: a random tenth of the 2×2 blocks, whose diagonal pair (y1, y2) training
/// never uses as a target. Their Noise2Noise loss, mean((y1 − f(y2))² + (y2 − f(y1))²)/2 over the held-out blocks,
/// has the training loss's own content gap and expectation (the error against the clean sub-images plus the noise
/// variance), measured on targets the network never fitted: when it rises, the network has started to fit noise.
/// </summary>
internal sealed class HeldOutBlocks
{
    /// <summary>The share of blocks held out.</summary>
    public const double Share = 0.1;

    private readonly bool[] _held; // per block, [c][i][j] of one sub-image

    /// <summary>Draws the held-out blocks of a [1,C,H,W] image from <paramref name="rng"/> (the same for every channel).</summary>
    public HeldOutBlocks(int channels, int height, int width, Rng rng)
    {
        int h = height / 2, w = width / 2, plane = h * w;
        var blocks = new bool[plane];
        for (int k = 0; k < plane; k++) blocks[k] = rng.NextDouble() < Share;
        if (!blocks.Contains(true)) blocks[plane / 2] = true; // a tiny image still holds one out
        _held = new bool[channels * plane];
        for (int c = 0; c < channels; c++) blocks.CopyTo(_held, c * plane);
        var keep = new float[2 * _held.Length];
        int kept = 0;
        for (int i = 0; i < _held.Length; i++)
        {
            if (_held[i]) continue;
            keep[i] = keep[_held.Length + i] = 1f;
            kept++;
        }
        Keep = Tensor.FromArray(keep, 2, channels, h, w);
        Scale = _held.Length / (float)kept;
    }

    /// <summary>1 at the blocks training uses, 0 at the held-out ones, in the pairs' shape [2,C,H/2,W/2].</summary>
    public Tensor Keep { get; }

    /// <summary>All positions over kept ones: restores the residual term's mean over the kept positions.</summary>
    public float Scale { get; }

    /// <summary>The Noise2Noise loss on the held-out blocks of <paramref name="y"/>, without gradients.</summary>
    public float Loss(ZsN2NNetwork net, Tensor y, TensorArena arena)
    {
        double sum = 0;
        int count = 0;
        using (Autograd.NoGradOnThisThread())
        using (arena.Activate())
        {
            var pairs = Ops.DiagonalPairs(y);
            var p = net.Denoise(pairs).Data;
            var d = pairs.Data;
            int half = _held.Length;
            for (int i = 0; i < half; i++)
            {
                if (!_held[i]) continue;
                double a = d[i] - p[half + i], b = d[half + i] - p[i];
                sum += (a * a + b * b) / 2;
                count++;
            }
        }
        arena.Reset();
        return (float)(sum / count);
    }
}
