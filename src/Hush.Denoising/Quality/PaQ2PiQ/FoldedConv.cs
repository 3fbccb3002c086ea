using Hush.Engine;

namespace Hush.Denoising.Quality.PaQ2PiQ;

/// <summary>A frozen convolution with the inference-mode BatchNorm after it folded in: BN(conv(x)) = conv'(x) + b' with
/// w'[o] = w[o]·s[o], b'[o] = β[o] − μ[o]·s[o], s = γ/√(σ² + ε) (computed in double). The weights do not require
/// grad, so the backward pass computes only the input's gradient.</summary>
internal sealed class FoldedConv
{
    private const double Epsilon = 1e-5; // PyTorch's BatchNorm default, as PaQ-2-PiQ uses

    private readonly Tensor _weight, _bias;
    private readonly int _stride, _padding;

    private FoldedConv(Tensor weight, Tensor bias, int stride, int padding)
    {
        _weight = weight;
        _bias = bias;
        _stride = stride;
        _padding = padding;
    }

    /// <summary>Reads <c>{conv}.weight</c> [out, in, k, k] (no bias, as torchvision's ResNet) and the BatchNorm2d
    /// <c>{bn}.weight/bias/running_mean/running_var</c> [out].</summary>
    public static FoldedConv Read(TensorFile file, string conv, string bn, int inChannels, int outChannels, int kernel, int stride, int padding)
    {
        float[] w = file.Require(conv + ".weight", outChannels, inChannels, kernel, kernel);
        var (scale, shift) = BatchNorm(file, bn, outChannels);
        var folded = new float[w.Length];
        int per = inChannels * kernel * kernel;
        for (int o = 0; o < outChannels; o++)
            for (int i = 0; i < per; i++) folded[o * per + i] = (float)(w[o * per + i] * scale[o]);
        return new FoldedConv(Tensor.FromArray(folded, outChannels, inChannels, kernel, kernel),
            Tensor.FromArray(shift.Select(v => (float)v).ToArray(), outChannels), stride, padding);
    }

    /// <summary>Inference-mode BatchNorm as y = x·scale + shift per channel.</summary>
    public static (double[] Scale, double[] Shift) BatchNorm(TensorFile file, string bn, int channels)
    {
        float[] gamma = file.Require(bn + ".weight", channels), beta = file.Require(bn + ".bias", channels);
        float[] mean = file.Require(bn + ".running_mean", channels), variance = file.Require(bn + ".running_var", channels);
        var scale = new double[channels];
        var shift = new double[channels];
        for (int c = 0; c < channels; c++)
        {
            if (!(variance[c] >= 0f)) throw new InvalidDataException($"{file.Path}: tensor '{bn}.running_var' has a negative or NaN entry ({variance[c]}) at {c}");
            scale[c] = gamma[c] / Math.Sqrt(variance[c] + Epsilon);
            shift[c] = beta[c] - mean[c] * scale[c];
        }

        return (scale, shift);
    }

    public Tensor Forward(Tensor x) => Ops.Conv2d(x, _weight, _bias, _stride, _padding);

    public Tensor ForwardRelu(Tensor x) => Ops.Conv2dLeakyRelu(x, _weight, _bias, 0f, _stride, _padding);
}
