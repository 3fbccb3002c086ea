using Hush.Denoising.Networks;
using Hush.Engine;
using Hush.Imaging;

namespace Hush.Denoising.Masking;

/// <summary>
/// The noisy image as the Self2Self family sees it: reflect-padded at the bottom and right to multiples of 32 (never
/// resized; the padding is cropped off again), optionally in its 4 flip variants (flipped first, then padded, so the
/// image always sits at the top left), and the per-step Bernoulli mask over channels and pixels. The loss counts
/// only dropped samples inside the image, never the padding.
/// </summary>
internal sealed class MaskedImage
{
    private readonly Tensor[] _variants; // [1, C, Hp, Wp] each: no flip, horizontal, vertical, both
    private readonly float[] _inside;    // 1 inside the image, 0 in the padding, [C·Hp·Wp]
    private int[] _heldOut = [];         // samples no loss counts (HoldOut)

    public MaskedImage(Image noisy, bool flips)
    {
        Channels = noisy.Channels;
        Height = noisy.Height;
        Width = noisy.Width;
        PaddedHeight = RoundUp(Height);
        PaddedWidth = RoundUp(Width);
        Shape = [1, Channels, PaddedHeight, PaddedWidth];
        _variants = new Tensor[flips ? 4 : 1];
        for (int v = 0; v < _variants.Length; v++)
        {
            var flipped = Tensor.FromArray(Flip(noisy.Data, v), 1, Channels, Height, Width);
            _variants[v] = Ops.Pad2d(flipped, 0, PaddedHeight - Height, 0, PaddedWidth - Width, PadMode.Reflect).Detach();
        }

        int plane = PaddedHeight * PaddedWidth;
        _inside = new float[Channels * plane];
        for (int c = 0; c < Channels; c++)
            for (int i = 0; i < Height; i++) Array.Fill(_inside, 1f, c * plane + i * PaddedWidth, Width);
        Keep = new float[_inside.Length];
        Dropped = new float[_inside.Length];
    }

    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }
    public int PaddedHeight { get; }
    public int PaddedWidth { get; }
    public int[] Shape { get; }

    /// <summary>The last mask M (1 = kept), [1, C, Hp, Wp]. Rewritten by <see cref="DrawMask"/>.</summary>
    public float[] Keep { get; }

    /// <summary>(1 − M) inside the image, 0 in the padding. Rewritten by <see cref="DrawMask"/>.</summary>
    public float[] Dropped { get; }

    public int VariantCount => _variants.Length;

    /// <summary>Variant 0 is the image itself; 1 = flipped left-right, 2 = upside down, 3 = both.</summary>
    public Tensor Variant(int v) => _variants[v];

    /// <summary>Dropped samples inside the image under the last mask (at least 1, so losses can divide by it).</summary>
    public int DrawnCount { get; private set; } = 1;

    /// <summary>Draws M with keep probability 1 − p for every sample (a counter-based hash of one draw from
    /// <paramref name="rng"/>, <see cref="Ops.BernoulliMask"/>) and returns <see cref="DrawnCount"/>. Held-out samples
    /// (<see cref="HoldOut"/>) are masked like the others but never counted in <see cref="Dropped"/>.</summary>
    public int DrawMask(Rng rng, float p)
    {
        Ops.BernoulliMask(Keep, 1f - p, rng);
        int count = 0;
        for (int i = 0; i < Keep.Length; i++)
        {
            float dropped = (1f - Keep[i]) * _inside[i];
            Dropped[i] = dropped;
            count += (int)dropped;
        }

        foreach (int i in _heldOut)
        {
            count -= (int)Dropped[i];
            Dropped[i] = 0f;
        }

        return DrawnCount = Math.Max(1, count);
    }

    /// <summary>Takes the samples at <paramref name="indices"/> (into the padded image) out of every later loss: the
    /// stopping rule's held-out set (<see cref="HeldOutSamples"/>).</summary>
    public void HoldOut(int[] indices) => _heldOut = indices;

    /// <summary>sum += the image part of <paramref name="output"/> [1, C, Hp, Wp] of variant <paramref name="v"/>,
    /// flipped back; sum is planar [C, H, W].</summary>
    public void AccumulateCropped(float[] output, int v, double[] sum)
    {
        bool flipX = (v & 1) != 0, flipY = (v & 2) != 0;
        int plane = PaddedHeight * PaddedWidth;
        for (int c = 0; c < Channels; c++)
            for (int i = 0; i < Height; i++)
            {
                int src = c * plane + i * PaddedWidth, dst = (c * Height + (flipY ? Height - 1 - i : i)) * Width;
                for (int j = 0; j < Width; j++) sum[dst + (flipX ? Width - 1 - j : j)] += output[src + j];
            }
    }

    /// <summary>L1 (Self2Self+) or squared (Self2Self) error over the dropped samples of the last mask, divided by
    /// their count: Σ e(out − y)⊙(1 − M) / Σ(1 − M).</summary>
    public Tensor Loss(Tensor output, int v, int count, bool l1)
    {
        var d = Tensor.StepConstant(Dropped, Shape);
        var a = Ops.Mul(output, d);
        var b = Ops.Mul(_variants[v], d);
        return Ops.Scale(l1 ? Ops.L1Loss(a, b) : Ops.MseLoss(a, b), (float)Dropped.Length / count);
    }

    private float[] Flip(float[] data, int v)
    {
        bool flipX = (v & 1) != 0, flipY = (v & 2) != 0;
        var y = new float[Channels * Height * Width];
        for (int c = 0; c < Channels; c++)
            for (int i = 0; i < Height; i++)
            {
                int src = (c * Height + (flipY ? Height - 1 - i : i)) * Width, dst = (c * Height + i) * Width;
                for (int j = 0; j < Width; j++) y[dst + j] = data[src + (flipX ? Width - 1 - j : j)];
            }
        return y;
    }

    private static int RoundUp(int n) => (n + UNet.Multiple - 1) / UNet.Multiple * UNet.Multiple;
}
