namespace Hush.Engine.Layers;

/// <summary>2-D convolution layer with PyTorch's default initialisation: weight and bias ~ U(-b, b),
/// b = 1/sqrt(fan_in), fan_in = (in/groups)*k*k (Kaiming-uniform with a = sqrt(5)); weights are drawn first,
/// then the bias, each in row-major order.</summary>
public sealed class Conv2d : Module
{
    private readonly int _stride, _padding, _dilation, _groups;

    /// <summary>A 2-D convolution layer (as <see cref="Ops.Conv2d"/>) with weights and bias drawn from <paramref name="rng"/> within ±1/√fan-in, as PyTorch initialises them.</summary>
    public Conv2d(int inChannels, int outChannels, int kernelSize, Rng rng, int stride = 1, int padding = 0, int dilation = 1, int groups = 1, bool bias = true)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfLessThan(inChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(kernelSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(groups, 1);
        if (inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException($"Channels ({inChannels} in, {outChannels} out) must be divisible by groups ({groups}).");
        _stride = stride;
        _padding = padding;
        _dilation = dilation;
        _groups = groups;

        int fanIn = inChannels / groups * kernelSize * kernelSize;
        float bound = 1f / MathF.Sqrt(fanIn);
        var w = new float[outChannels * (inChannels / groups) * kernelSize * kernelSize];
        for (int i = 0; i < w.Length; i++) w[i] = rng.Uniform(-bound, bound);
        Weight = Tensor.Parameter(w, outChannels, inChannels / groups, kernelSize, kernelSize);
        if (bias)
        {
            var b = new float[outChannels];
            for (int i = 0; i < b.Length; i++) b[i] = rng.Uniform(-bound, bound);
            Bias = Tensor.Parameter(b, outChannels);
        }
    }

    /// <summary>The weights, shaped (out, in / groups, k, k).</summary>
    public Tensor Weight { get; }

    /// <summary>The bias per output channel, or null without one.</summary>
    public Tensor? Bias { get; }

    /// <summary>Convolves <paramref name="x"/> (N, C, H, W).</summary>
    public Tensor Forward(Tensor x) => Ops.Conv2d(x, Weight, Bias, _stride, _padding, _dilation, _groups);

    /// <summary>LeakyRelu(Forward(x), slope), fused (see <see cref="Ops.Conv2dLeakyRelu"/>).</summary>
    public Tensor ForwardLeakyRelu(Tensor x, float slope) =>
        Ops.Conv2dLeakyRelu(x, Weight, Bias, slope, _stride, _padding, _dilation, _groups);

    /// <inheritdoc/>
    public override IEnumerable<Tensor> Parameters()
    {
        yield return Weight;
        if (Bias is not null) yield return Bias;
    }
}
