using Hush.Engine;

namespace Hush.Denoising.Methods.ZsN2N;

/// <summary>ZS-N2N's pair downsampler: two fixed depth-wise 2×2, stride-2 convolutions. D1 averages the
/// anti-diagonal of each 2×2 block, D2 the main diagonal, so the two half-size images share no pixel and
/// their noise is independent. Odd last rows/columns are dropped (floor), as in the reference.</summary>
internal sealed class PairDownsampler
{
    private readonly Tensor _d1, _d2; // [C,1,2,2]
    private readonly int _channels;

    public PairDownsampler(int channels)
    {
        _channels = channels;
        _d1 = Tensor.FromArray(Repeat(channels, 0f, 0.5f, 0.5f, 0f), channels, 1, 2, 2);
        _d2 = Tensor.FromArray(Repeat(channels, 0.5f, 0f, 0f, 0.5f), channels, 1, 2, 2);
    }

    /// <summary>x [N,C,H,W] → [N,C,⌊H/2⌋,⌊W/2⌋].</summary>
    public Tensor First(Tensor x) => Ops.Conv2d(x, _d1, null, stride: 2, groups: _channels);

    /// <summary>x [N,C,H,W] → [N,C,⌊H/2⌋,⌊W/2⌋].</summary>
    public Tensor Second(Tensor x) => Ops.Conv2d(x, _d2, null, stride: 2, groups: _channels);

    private static float[] Repeat(int channels, params float[] kernel)
    {
        var w = new float[channels * kernel.Length];
        for (int c = 0; c < channels; c++) kernel.CopyTo(w, c * kernel.Length);
        return w;
    }
}
