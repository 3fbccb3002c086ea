using Hush.Engine;
using Hush.Engine.Layers;

namespace Hush.Denoising.Methods.Noise2Self;

/// <summary>The official Noise2Self DnCNN: conv3×3(C→F) → ReLU → (L−2)× [conv3×3(F→F) → BatchNorm → ReLU] →
/// conv3×3(F→C), no biases, zero padding, and no residual connection (it outputs the image, not the noise). For C=1,
/// L=8, F=64: 576 + 6·36,864 + 6·128 + 576 = 223,104 parameters.
///
/// The notebook scores validation and makes its output with model.eval(), so BatchNorm then uses running statistics
/// (PyTorch's: momentum 0.1, unbiased variance, starting at mean 0 and variance 1) gathered from the masked training
/// inputs, not the statistics of the image it is applied to. The engine's BatchNorm has no running statistics, so this
/// network keeps them itself: <see cref="Forward"/> in training updates them, <see cref="Evaluate"/> applies them.</summary>
internal sealed class Noise2SelfNetwork : Module
{
    private const float Eps = 1e-5f, Momentum = 0.1f;
    private readonly Conv2d[] _convs;
    private readonly BatchNorm2d[] _norms;
    private readonly float[][] _runningMean, _runningVar;

    public Noise2SelfNetwork(int channels, int layers, int features, Rng rng)
    {
        // Created in PyTorch's order so one seed fixes every weight; default (Kaiming-uniform) init, as the official model.
        _convs = new Conv2d[layers];
        _norms = new BatchNorm2d[layers - 2];
        _runningMean = new float[layers - 2][];
        _runningVar = new float[layers - 2][];
        for (int l = 0; l < layers; l++)
        {
            _convs[l] = new Conv2d(l == 0 ? channels : features, l == layers - 1 ? channels : features, 3, rng, padding: 1, bias: false);
            if (l == 0 || l == layers - 1) continue;
            _norms[l - 1] = new BatchNorm2d(features, Eps);
            _runningMean[l - 1] = new float[features];
            _runningVar[l - 1] = Enumerable.Repeat(1f, features).ToArray();
        }
        _parameters = Parameters().ToArray();
    }

    // The parameters in Parameters() order, listed once: a snapshot walks them without an iterator.
    private readonly Tensor[] _parameters;

    /// <summary>Training mode: batch statistics (with gradient), and the running statistics move towards them.</summary>
    public Tensor Forward(Tensor x) => Run(x, training: true);

    /// <summary>Evaluation mode (no gradient): BatchNorm with the running statistics.</summary>
    public Tensor Evaluate(Tensor x)
    {
        using (Autograd.NoGradOnThisThread()) return Run(x, training: false);
    }

    private Tensor Run(Tensor x, bool training)
    {
        var h = Ops.Relu(_convs[0].Forward(x));
        for (int l = 1; l < _convs.Length - 1; l++)
        {
            var z = _convs[l].Forward(h);
            h = Ops.Relu(training ? Normalise(z, l - 1) : Standardise(z, l - 1));
        }
        return _convs[^1].Forward(h);
    }

    private Tensor Normalise(Tensor z, int k)
    {
        int n = z.Shape[0], c = z.Shape[1], plane = z.Shape[2] * z.Shape[3];
        long count = (long)n * plane;
        for (int ch = 0; ch < c; ch++)
        {
            double sum = 0, squares = 0;
            for (int b = 0; b < n; b++)
            {
                var span = z.Data.AsSpan((b * c + ch) * plane, plane);
                foreach (float v in span) sum += v;
            }
            double mean = sum / count;
            for (int b = 0; b < n; b++)
            {
                var span = z.Data.AsSpan((b * c + ch) * plane, plane);
                foreach (float v in span) squares += (v - mean) * (v - mean);
            }
            double unbiased = count > 1 ? squares / (count - 1) : squares;
            _runningMean[k][ch] = (float)((1 - Momentum) * _runningMean[k][ch] + Momentum * mean);
            _runningVar[k][ch] = (float)((1 - Momentum) * _runningVar[k][ch] + Momentum * unbiased);
        }
        return _norms[k].Forward(z);
    }

    private Tensor Standardise(Tensor z, int k)
    {
        int n = z.Shape[0], c = z.Shape[1], plane = z.Shape[2] * z.Shape[3];
        var standardised = Tensor.StepScratch(z.Shape);
        var y = standardised.Data;
        for (int ch = 0; ch < c; ch++)
        {
            float scale = _norms[k].Gamma.Data[ch] / MathF.Sqrt(_runningVar[k][ch] + Eps);
            float shift = _norms[k].Beta.Data[ch] - _runningMean[k][ch] * scale;
            for (int b = 0; b < n; b++)
            {
                int start = (b * c + ch) * plane;
                for (int i = start; i < start + plane; i++) y[i] = z.Data[i] * scale + shift;
            }
        }
        return standardised;
    }

    /// <summary>The BatchNorm running means, then variances, as training updates them in place.</summary>
    public IEnumerable<float[]> RunningStatistics => _runningMean.Concat(_runningVar);

    /// <summary>Every value the model's output depends on (parameters, then running statistics), copied.</summary>
    public float[][] Snapshot() => Snapshot(null);

    /// <summary>A <see cref="Snapshot()"/> copied into <paramref name="into"/> when it is one (same network), else into new arrays.</summary>
    public float[][] Snapshot(float[][]? into)
    {
        if (into is null)
            return [.. _parameters.Select(p => (float[])p.Data.Clone()), .. _runningMean.Select(a => (float[])a.Clone()), .. _runningVar.Select(a => (float[])a.Clone())];
        int k = 0;
        foreach (Tensor p in _parameters) p.Data.CopyTo(into[k++], 0);
        foreach (float[] a in _runningMean) a.CopyTo(into[k++], 0);
        foreach (float[] a in _runningVar) a.CopyTo(into[k++], 0);
        return into;
    }

    /// <summary>Puts back a <see cref="Snapshot()"/>.</summary>
    public void Restore(float[][] snapshot)
    {
        var targets = Parameters().Select(p => p.Data).Concat(_runningMean).Concat(_runningVar).ToArray();
        for (int i = 0; i < targets.Length; i++) snapshot[i].CopyTo(targets[i], 0);
    }

    public override IEnumerable<Tensor> Parameters()
    {
        for (int l = 0; l < _convs.Length; l++)
        {
            foreach (var p in _convs[l].Parameters()) yield return p;
            if (l > 0 && l < _convs.Length - 1)
                foreach (var p in _norms[l - 1].Parameters()) yield return p;
        }
    }
}
