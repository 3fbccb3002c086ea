using Hush.Denoising.Noise;
using Hush.Imaging;

namespace Hush.Denoising.Stabilization;

/// <summary>Maps Poisson–Gaussian data (var(y | x) = a·x + b) to data whose noise has the same variance everywhere,
/// rescaled to [0, 1], and back: the generalized Anscombe transform with its exact unbiased inverse
/// (<see cref="GeneralizedAnscombe"/>). Any denoiser that assumes signal-independent noise can then be used in between.</summary>
/// <remarks>f(y) for y in [0, 1] spans [f(0), f(1)]; the image is stretched so that range becomes [0, 1], where the
/// noise deviation is 1 / (f(1) − f(0)). Samples outside [0, 1] (float inputs) are clamped into it first.</remarks>
internal sealed class VarianceStabilizer
{
    private readonly GeneralizedAnscombe _gat;
    private readonly double _low, _span;

    public VarianceStabilizer(double a, double b)
    {
        A = a;
        B = Math.Max(0, b);
        _gat = new GeneralizedAnscombe(A, B);
        _low = _gat.Forward(0);
        _span = _gat.Forward(1) - _low;
    }

    public double A { get; }

    public double B { get; }

    /// <summary>The noise deviation of <see cref="Forward"/>'s output, in its [0, 1] units.</summary>
    public double Sigma => 1 / _span;

    /// <summary>The stabilized image (same size, channels, alpha and bit depth).</summary>
    public Image Forward(Image noisy)
    {
        var data = new float[noisy.Data.Length];
        for (int i = 0; i < data.Length; i++)
            data[i] = (float)((_gat.Forward(Math.Clamp(noisy.Data[i], 0f, 1f)) - _low) / _span);
        return noisy.WithData(data);
    }

    /// <summary>The denoised stabilized samples mapped back by the exact unbiased inverse, clamped to [0, 1].</summary>
    public float[] Inverse(float[] denoised)
    {
        var data = new float[denoised.Length];
        for (int i = 0; i < data.Length; i++)
            data[i] = Math.Clamp((float)_gat.Inverse(denoised[i] * _span + _low), 0f, 1f);
        return data;
    }

    /// <summary>The stabilizer for <paramref name="noisy"/>'s estimated Poisson–Gaussian model, or null when the image
    /// has no usable Poisson part (a ≤ 1e-9, or too few unclipped blocks to fit).</summary>
    public static VarianceStabilizer? Estimate(Image noisy)
    {
        try
        {
            var (a, b) = NoiseEstimation.PoissonGaussian(noisy);
            return a > 1e-9 ? new VarianceStabilizer(a, b) : null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
