namespace Hush.Denoising.Metrics;

/// <summary>Peak signal-to-noise ratio on [0,1] floats: 10·log10(1/MSE), over every sample of every channel.</summary>
/// <remarks>Same definition as scikit-image's <c>peak_signal_noise_ratio(data_range=1)</c>. Sums run in
/// float64 so the result does not depend on image size through rounding.</remarks>
public static class Psnr
{
    /// <summary>PSNR in dB, 10·log10(1/MSE), of samples on the [0, 1] scale.</summary>
    public static double Compute(ReadOnlySpan<float> test, ReadOnlySpan<float> reference)
    {
        double mse = MeanSquaredError(test, reference);
        return mse == 0 ? double.PositiveInfinity : 10.0 * Math.Log10(1.0 / mse);
    }

    /// <summary>PSNR in dB of two images of the same size and channels, on the [0, 1] scale.</summary>
    public static double Compute(Hush.Imaging.Image test, Hush.Imaging.Image reference)
    {
        MetricGuards.RequireSameShape(test, reference);
        return Compute(test.Data, reference.Data);
    }

    /// <summary>The mean squared difference of two sample spans of equal length.</summary>
    public static double MeanSquaredError(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"length {a.Length} differs from {b.Length}");
        if (a.Length == 0) throw new ArgumentException("empty images have no PSNR");
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = (double)a[i] - b[i];
            sum += d * d;
        }
        return sum / a.Length;
    }
}
