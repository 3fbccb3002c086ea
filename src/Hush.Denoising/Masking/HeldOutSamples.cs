using Hush.Engine;

namespace Hush.Denoising.Masking;

/// <summary>
/// The stopping rule's held-out set for the masked-sample methods (Self2Self+, Blind2Grad): a random tenth of the
/// image's samples (or pixels) that are never a training target: the method's mask leaves them out of the loss, though
/// they are masked and seen as input like every other sample. Their loss is the squared error of the
/// prediction at the held-out samples the passes' masks drop, against the noisy values: for noise independent between
/// samples, the error against the clean image plus the noise variance, measured on targets the network never fitted.
/// When it stops falling, the network has started to fit noise. Every measurement draws the same masks and dropout
/// (a stream of its own from the seed), so two measurements differ only by the weights, and training's own streams are
/// untouched.
/// </summary>
internal sealed class HeldOutSamples
{
    /// <summary>The share of samples held out.</summary>
    public const double Share = 0.1;

    /// <summary>Passes per measurement (1 − (1 − p)^4 of the held-out samples are dropped in at least one; 76 % at
    /// Self2Self+'s p = 0.3). Each costs one forward pass: about 3 % of training at one measurement per 50 steps.</summary>
    public const int Passes = 4;

    /// <summary>The fork of the seed's generator the held-out samples are drawn from (the methods' own streams are
    /// untouched).</summary>
    public const ulong DrawStream = 0x68_65_6c_64;

    private const ulong MeasureStream = 0x6d_65_61_73;
    private readonly int[] _held; // indices into the padded [C·Hp·Wp] image, inside it
    private readonly ulong _seed;

    /// <summary>Draws the held-out samples of a [1, C, Hp, Wp] padded image whose top-left H×W part is the image, from
    /// <paramref name="rng"/>: single samples, or with <paramref name="wholePixels"/> whole pixels (all channels, for
    /// masks that hide pixels). Measurements draw their masks from <paramref name="seed"/>.</summary>
    public HeldOutSamples(int channels, int height, int width, int paddedHeight, int paddedWidth, bool wholePixels, Rng rng, ulong seed)
    {
        var held = new List<int>();
        int plane = paddedHeight * paddedWidth;
        for (int c = 0; c < (wholePixels ? 1 : channels); c++)
            for (int i = 0; i < height; i++)
                for (int j = 0; j < width; j++)
                    if (rng.NextDouble() < Share) held.Add(c * plane + i * paddedWidth + j);
        if (held.Count == 0) held.Add(height / 2 * paddedWidth + width / 2); // a tiny image still holds one out
        if (wholePixels) held = [.. Enumerable.Range(0, channels).SelectMany(c => held.Select(p => c * plane + p))];
        _held = [.. held];
        _seed = seed;
    }

    /// <summary>The held-out samples of <paramref name="image"/>'s single samples, taken out of its losses at once
    /// (<see cref="MaskedImage.HoldOut"/>). The image must not be flipped (its variant 0 is the one trained).</summary>
    public static HeldOutSamples Of(MaskedImage image, Rng rng, ulong seed)
    {
        if (image.VariantCount != 1) throw new ArgumentException("held-out samples need an image without flip variants", nameof(image));
        var held = new HeldOutSamples(image.Channels, image.Height, image.Width, image.PaddedHeight, image.PaddedWidth, false, rng, seed);
        image.HoldOut(held._held);
        return held;
    }

    /// <summary>The held-out samples, as indices into the padded image.</summary>
    public IReadOnlyList<int> Indices => _held;

    /// <summary>mean over the held-out samples that a pass dropped of (mean of their predictions − y)², without
    /// gradients; <paramref name="pass"/> draws a mask into <paramref name="keep"/> (1 = visible, the image's layout)
    /// and returns the padded output. The arena is empty between training steps and is emptied after each pass.</summary>
    public float Loss(Func<Rng, Tensor> pass, float[] keep, float[] y, TensorArena arena)
    {
        var sum = new double[_held.Length];
        var count = new int[_held.Length];
        var rng = new Rng(_seed).Fork(MeasureStream);
        using (Autograd.NoGradOnThisThread())
        {
            for (int e = 0; e < Passes; e++)
            {
                using (arena.Activate())
                {
                    float[] output = pass(rng).Data;
                    for (int k = 0; k < _held.Length; k++)
                    {
                        int i = _held[k];
                        if (keep[i] != 0f) continue;
                        sum[k] += output[i];
                        count[k]++;
                    }
                }

                arena.Reset();
            }
        }

        double error = 0;
        int measured = 0;
        for (int k = 0; k < _held.Length; k++)
        {
            if (count[k] == 0) continue;
            double d = sum[k] / count[k] - y[_held[k]];
            error += d * d;
            measured++;
        }

        return measured == 0 ? float.PositiveInfinity : (float)(error / measured);
    }
}
