using Hush.Engine.Fused;
using Hush.Engine.Kernels;

namespace Hush.Engine.Layers;

/// <summary>
/// Partial convolution (Liu et al. 2018, as used by Self2Self): for each output pixel with window mask sum S = Σ M
/// over the in-channel × k × k window, out = W·(X⊙M)·(Σ1 / S) + b where S &gt; 0, else 0; the updated mask is
/// clip(S, 0, 1). 'Same' k×k, stride 1; the border of X⊙M and M is padded with the given mode (zero: padded
/// positions count as holes). Built as Mul(X, M) → convolution without bias → <see cref="FusedOps.PartialEpilogue"/>
/// (times the constant ratio map, plus b·U for the updated mask U, so b gets Σ dY·U, and the activation, in one pass).
/// The mask carries no gradient. Initialised He-normal, bias 0 (Self2Self).
/// </summary>
public sealed class PartialConv2d : Module
{
    private readonly PaddedConv2d _conv;
    private readonly int _in, _out, _k;

    /// <summary>A partial convolution (Liu et al. 2018) from <paramref name="inChannels"/> to <paramref name="outChannels"/> channels, padded by <paramref name="mode"/>.</summary>
    public PartialConv2d(int inChannels, int outChannels, int kernelSize, Rng rng, PadMode mode = PadMode.Zero)
    {
        _in = inChannels;
        _out = outChannels;
        _k = kernelSize;
        Mode = mode;
        _conv = new PaddedConv2d(inChannels, outChannels, kernelSize, rng, mode, bias: false);
        Bias = Tensor.Parameter(new float[outChannels], outChannels, 1, 1, 1);
        WeightInit.HeNormal(_conv.Weight, Bias, rng);
    }

    /// <summary>How the border is filled.</summary>
    public PadMode Mode { get; }

    /// <summary>[out, in, k, k].</summary>
    public Tensor Weight => _conv.Weight;

    /// <summary>[out, 1, 1, 1] (a 1×1 convolution's weight: it multiplies the updated mask).</summary>
    public Tensor Bias { get; }

    /// <summary>x [N, in, H, W] and its mask [N, in, H, W] or [N, 1, H, W] (one mask for every channel; Σ1 and S
    /// then count it in times) → output [N, out, H, W]; <paramref name="newMask"/> [N, 1, H, W] is the same for
    /// every output channel.</summary>
    public Tensor Forward(Tensor x, Tensor mask, out Tensor newMask) => Forward(x, mask, null, out newMask);

    /// <summary>LeakyRelu(<see cref="Forward(Tensor, Tensor, out Tensor)"/>, slope): with a mask of ones and mirrored
    /// borders (every layer after a U-Net's first: a single kept sample in the first layer's 3×3×C window makes its
    /// updated mask 1), the window sums are full, the ratio is 1 and the updated mask is ones, so the partial
    /// convolution is a plain one with its bias and activation in the kernel's epilogue
    /// (<see cref="Ops.Conv2dSame3x3"/>). The same values; the bias gradient sums in another order.</summary>
    public Tensor ForwardLeakyRelu(Tensor x, Tensor mask, float slope, out Tensor newMask) => Forward(x, mask, slope, out newMask);

    private Tensor Forward(Tensor x, Tensor mask, float? slope, out Tensor newMask)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(mask);
        if (x.Rank != 4 || x.Shape[1] != _in)
            throw new ArgumentException($"PartialConv2d expects [N, {_in}, H, W], got [{string.Join(", ", x.Shape)}].");
        int n = x.Shape[0], h = x.Shape[2], w = x.Shape[3], plane = h * w;
        if (mask.Rank != 4 || mask.Shape[0] != n || mask.Shape[2] != h || mask.Shape[3] != w || (mask.Shape[1] != 1 && mask.Shape[1] != _in))
            throw new ArgumentException($"PartialConv2d: mask [{string.Join(", ", mask.Shape)}] does not fit input [{string.Join(", ", x.Shape)}].");
        int cm = mask.Shape[1];
        if (_k == 3 && Mode != PadMode.Zero && mask.Data.AsSpan(0, mask.Length).IndexOfAnyExcept(1f) < 0)
        {
            newMask = cm == 1 ? mask : Tensor.StepConstant(Ones(n * plane), [n, 1, h, w]);
            return Ops.Conv2dSame3x3(x, Weight, Bias, Mode, slope);
        }

        var update = TensorArena.AllocateOutput(n * plane); // [N, 1, H, W]
        var ratio = TensorArena.AllocateOutput(n * plane); // [N, 1, H, W], the same for every output channel
        MaskSums(mask.Data, n, cm, h, w, update);
        float window = _in * _k * _k, perMask = cm == 1 ? _in : 1;
        for (int p = 0; p < n * plane; p++)
        {
            float s = update[p] * perMask;
            ratio[p] = s > 0f ? window / s : 0f;
            update[p] = Math.Min(s, 1f);
        }

        Tensor m = mask;
        if (cm != _in)
        {
            var expanded = TensorArena.AllocateOutput(x.Length);
            for (int b = 0; b < n; b++)
                for (int c = 0; c < _in; c++) Array.Copy(mask.Data, b * plane, expanded, (b * _in + c) * plane, plane);
            m = Tensor.StepConstant(expanded, x.Shape);
        }

        newMask = Tensor.StepConstant(update, [n, 1, h, w]);
        return FusedOps.PartialEpilogue(_conv.Forward(Ops.Mul(x, m.Detach())), Tensor.StepConstant(ratio, [n, 1, h, w]), newMask, Bias, slope);
    }

    // A step's array of ones (the updated mask of a full window).
    private static float[] Ones(int length)
    {
        var ones = TensorArena.AllocateOutput(length);
        ones.AsSpan(0, length).Fill(1f);
        return ones;
    }

    // sums[b, i, j] = Σ_c Σ_(di, dj) padded(mask)[b, c, i + di − k/2, j + dj − k/2]
    private void MaskSums(float[] mask, int n, int cm, int h, int w, float[] sums)
    {
        int pad = _k / 2;
        // The calling thread's index maps and a struct body: a step allocates nothing here.
        int[] rows = Pad.Map(ref _rows, h + 2 * pad, pad, h, Mode), cols = Pad.Map(ref _cols, w + 2 * pad, pad, w, Mode);
        Par.For(n * h, new MaskSumRows(mask, cm, h, w, _k, rows, cols, sums));
    }

    [ThreadStatic] private static int[]? _rows, _cols;

    // MaskSums over the rows r = b·h + i in [r0, r1)
    private readonly struct MaskSumRows(float[] mask, int cm, int h, int w, int k, int[] rows, int[] cols, float[] sums) : IRangeBody
    {
        public void Run(int r0, int r1)
        {
            for (int r = r0; r < r1; r++)
            {
                int b = r / h, i = r % h;
                for (int j = 0; j < w; j++)
                {
                    float s = 0f;
                    for (int c = 0; c < cm; c++)
                    {
                        int planeBase = (b * cm + c) * h * w;
                        for (int di = 0; di < k; di++)
                        {
                            int src = rows[i + di];
                            if (src < 0) continue;
                            for (int dj = 0; dj < k; dj++)
                            {
                                int sc = cols[j + dj];
                                if (sc >= 0) s += mask[planeBase + src * w + sc];
                            }
                        }
                    }

                    sums[b * h * w + i * w + j] = s;
                }
            }
        }
    }

    /// <inheritdoc/>
    public override IEnumerable<Tensor> Parameters() => _conv.Parameters().Append(Bias);
}
