using Hush.Engine;

namespace Hush.Denoising.Methods.Blind2Grad;

/// <summary>
/// Blind2Grad's dual mask Ω_m (Sec. 3.1, Eq. 3.1–3.3) on the padded image [1, C, Hp, Wp] whose top-left H×W part is the
/// image. Masks whole pixels (all channels). Before the first <see cref="Reallocate"/> every pixel is masked with
/// probability r (the Bernoulli mask); afterwards, given the estimate x_m, a pixel whose distance
/// d = √(mean_c (y − x_m)²) reaches the detail threshold is masked with probability ratio·r and the other ("flat")
/// pixels with r_flat = (r − q·ratio·r)/(1 − q), q the detail fraction inside the image, so the expected overall rate
/// stays r (r_flat is capped at 1; the rate then falls short, which needs q &gt; 1 − r detail pixels). The padding is
/// classified by its own (mirrored) distances and never counts in the loss.
/// </summary>
internal sealed class DualMask
{
    private readonly int _channels, _height, _width, _paddedHeight, _paddedWidth;
    private readonly float _rate, _threshold, _detailRatio;
    private readonly float[] _probability; // per padded pixel [Hp·Wp]
    private int[] _heldOut = [];            // samples no loss counts (HoldOut), [C·Hp·Wp] indices

    public DualMask(int channels, int height, int width, int paddedHeight, int paddedWidth, float rate, float detailThreshold255, float detailRatio)
    {
        (_channels, _height, _width, _paddedHeight, _paddedWidth) = (channels, height, width, paddedHeight, paddedWidth);
        (_rate, _threshold, _detailRatio) = (rate, detailThreshold255 / 255f, detailRatio);
        int plane = paddedHeight * paddedWidth;
        _probability = new float[plane];
        Array.Fill(_probability, rate);
        Rates = (rate, rate);
        Detail = new bool[plane];
        KeepPixels = new float[plane];
        KeepSamples = new float[channels * plane];
        Dropped = new float[channels * plane];
    }

    /// <summary>Pixels classified as detail by the last <see cref="Reallocate"/> (none before it), [Hp·Wp].</summary>
    public bool[] Detail { get; }

    /// <summary>Fraction of the image's pixels that are detail (q).</summary>
    public double DetailFraction { get; private set; }

    /// <summary>Mask probabilities of detail and flat pixels after the last reallocation (both r before it).</summary>
    public (float Detail, float Flat) Rates { get; private set; }

    /// <summary>The last mask per pixel (1 = visible), [1, 1, Hp, Wp]: the partial convolution's mask.</summary>
    public float[] KeepPixels { get; }

    /// <summary>The same mask repeated over the channels, [1, C, Hp, Wp]: Ω(y) = KeepSamples ⊙ y.</summary>
    public float[] KeepSamples { get; }

    /// <summary>1 where the last mask hid a sample inside the image, else 0 (the loss's Ω), [1, C, Hp, Wp].</summary>
    public float[] Dropped { get; }

    /// <summary>Hidden samples inside the image under the last mask (at least 1, so losses can divide by it).</summary>
    public int DroppedCount { get; private set; } = 1;

    /// <summary>Back to the first cycle's Bernoulli mask (every pixel hidden with probability r).</summary>
    public void Reset()
    {
        Array.Fill(_probability, _rate);
        Array.Clear(Detail);
        (DetailFraction, Rates) = (0, (_rate, _rate));
    }

    /// <summary>Second mask (Eq. 3.2, as chosen in <see cref="Blind2GradOptions.DetailMaskRatio"/>): classifies every
    /// pixel by its distance between <paramref name="noisy"/> and the estimate <paramref name="estimate"/> (both
    /// [C·Hp·Wp]) and moves masking from detail to flat pixels.</summary>
    public void Reallocate(float[] noisy, float[] estimate)
    {
        int plane = _paddedHeight * _paddedWidth, detailInside = 0;
        for (int p = 0; p < plane; p++)
        {
            double sq = 0;
            for (int c = 0; c < _channels; c++)
            {
                double d = noisy[c * plane + p] - estimate[c * plane + p];
                sq += d * d;
            }
            Detail[p] = Math.Sqrt(sq / _channels) >= _threshold;
            if (Detail[p] && p / _paddedWidth < _height && p % _paddedWidth < _width) detailInside++;
        }

        double q = detailInside / (double)(_height * _width);
        float detail = _detailRatio * _rate;
        float flat = q < 1 ? (float)Math.Min(1.0, (_rate - q * detail) / (1 - q)) : _rate;
        DetailFraction = q;
        Rates = (detail, flat);
        for (int p = 0; p < plane; p++) _probability[p] = Detail[p] ? detail : flat;
    }

    /// <summary>Draws a mask (one draw per padded pixel, in order, from <paramref name="rng"/>) and returns
    /// <see cref="DroppedCount"/> (held-out samples, <see cref="HoldOut"/>, are hidden but not counted).</summary>
    public int Draw(Rng rng)
    {
        int plane = _paddedHeight * _paddedWidth, count = 0;
        // row by row, so that "inside the image" needs no division per pixel
        for (int y = 0, p = 0; y < _paddedHeight; y++)
        {
            for (int x = 0; x < _paddedWidth; x++, p++)
            {
                bool hidden = rng.NextFloat() < _probability[p];
                bool counted = hidden && y < _height && x < _width;
                KeepPixels[p] = hidden ? 0f : 1f;
                count += counted ? 1 : 0;
                for (int c = 0; c < _channels; c++)
                {
                    KeepSamples[c * plane + p] = KeepPixels[p];
                    Dropped[c * plane + p] = counted ? 1f : 0f;
                }
            }
        }

        count *= _channels;
        foreach (int i in _heldOut)
        {
            count -= (int)Dropped[i];
            Dropped[i] = 0f;
        }

        return DroppedCount = Math.Max(1, count);
    }

    /// <summary>Takes the samples at <paramref name="indices"/> (into the padded image, whole pixels) out of every later
    /// loss, though they are still hidden like any other: the stopping rule's held-out set
    /// (<see cref="Masking.HeldOutSamples"/>).</summary>
    public void HoldOut(IReadOnlyList<int> indices) => _heldOut = [.. indices];
}
