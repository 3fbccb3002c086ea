using Hush.Imaging;

namespace Hush.Denoising.Noise;

/// <summary>The noise estimates of one image, as <c>hush info --noise</c> reports them. σ values and (a, b) are in the
/// image's [0,1] units.</summary>
/// <param name="SigmaPerChannel">Gaussian σ of each colour channel.</param>
/// <param name="Sigma">One σ for the image: the median of <paramref name="SigmaPerChannel"/>.</param>
/// <param name="PoissonA">Signal-dependent term a of var(y | x) = a·x + b, or null when the image has too few
/// unclipped blocks for the fit.</param>
/// <param name="PoissonB">Signal-independent term b, null with <paramref name="PoissonA"/>.</param>
public sealed record NoiseLevelReport(double[] SigmaPerChannel, double Sigma, double? PoissonA, double? PoissonB)
{
    /// <summary>Mean lag-1 autocorrelation (horizontal and vertical, over the colour channels) from which noise counts as
    /// <see cref="NoiseKind.Correlated"/>. Camera sRGB noise measured at least 0.46 (the SIDD pairs; the CC pairs 0.65 to
    /// 0.77); white noise at most 0.34 along one axis (Set12 at σ = 5, where texture leaks into even the flattest
    /// blocks; at most 0.15 from σ = 10 up, and 0.17 for Poisson noise): 0.4 sits between them.</summary>
    public const double CorrelatedAbove = 0.4;

    /// <summary>Autocorrelation, at lag s along rows and columns, at or below which subsampling at stride s counts as
    /// decorrelating (<see cref="DecorrelatingStride"/>).</summary>
    public const double DecorrelatedBelow = 0.2;

    /// <summary>Share of the noise variance at the image's mean intensity that the a·x term must carry for the noise to
    /// count as <see cref="NoiseKind.PoissonGaussian"/>.</summary>
    public const double SignalDependentAbove = 0.5;

    /// <summary>The noise's autocorrelation at horizontal lags 1…<see cref="NoiseCorrelation.MaxLag"/>, averaged over the
    /// colour channels (<see cref="NoiseCorrelation"/>); empty when the image is smaller than one block.</summary>
    public double[] CorrelationHorizontal { get; init; } = [];

    /// <summary>As <see cref="CorrelationHorizontal"/>, along columns.</summary>
    public double[] CorrelationVertical { get; init; } = [];

    /// <summary>Mean intensity of the image's colour samples, where <see cref="PoissonShare"/> is read.</summary>
    public double MeanIntensity { get; init; }

    /// <summary>a·m / (a·m + b) at the mean intensity m: how much of the noise variance there is signal-dependent;
    /// null without a Poisson–Gaussian fit.</summary>
    public double? PoissonShare => PoissonA is double a && PoissonB is double b && a * MeanIntensity + Math.Max(0, b) > 0
        ? a * MeanIntensity / (a * MeanIntensity + Math.Max(0, b))
        : null;

    /// <summary>How much the noise level changes across the image: the largest σ over the smallest among the regions of a
    /// 3×3 grid (each region's σ the median over its colour channels), 1 for noise of one level everywhere; 1 when the
    /// image is too small for regional estimates.</summary>
    public double SigmaSpread { get; init; } = 1;

    /// <summary>Mean of the lag-1 autocorrelations, horizontal and vertical.</summary>
    public double LagOneCorrelation => CorrelationHorizontal.Length == 0 ? 0 : (CorrelationHorizontal[0] + CorrelationVertical[0]) / 2;

    /// <summary>σ on the stride-2 pixel-shuffled sub-images over σ on the image (<see cref="SubImageSigmaRatio"/>) from
    /// which a correlation counts as noise: correlated noise hides from the fine-scale σ estimate and shows on the
    /// sub-images (measured 1.89 and 2.03 on the SIDD pairs, 2.23–4.53 on the CC pairs), white noise does not (1.0 on
    /// the confocal set); texture that leaks into the correlation of a white-noise crop at σ ≥ 15 measured at most 1.99
    /// (McMaster/1, 128²) and mostly 1.2–1.5.</summary>
    public const double HiddenAbove = 1.8;

    /// <summary>σ of the stride-2 pixel-shuffled sub-images over σ of the image (NaN when not measured).</summary>
    public double SubImageSigmaRatio { get; init; } = double.NaN;

    /// <summary>Colour channels the estimates came from (3 unless set).</summary>
    public int Channels { get; init; } = 3;

    /// <summary>The kind of noise: correlated when <see cref="LagOneCorrelation"/> exceeds <see cref="CorrelatedAbove"/>
    /// in a colour image whose noise hides from the fine-scale estimate (<see cref="SubImageSigmaRatio"/> not below
    /// <see cref="HiddenAbove"/>), else Poisson–Gaussian when <see cref="PoissonShare"/> exceeds
    /// <see cref="SignalDependentAbove"/>, else Gaussian. Grey images are never classed correlated: in grey crops of
    /// textured images (Set12/04, /05 at 128²) white noise of σ = 15–25 measured a lag-1 correlation of 0.49–0.67 from
    /// texture alone, and denoising them as correlated (pixel-shuffled sub-images) cost 6–9 dB; camera noise comes in
    /// colour.</summary>
    public NoiseKind Kind => LagOneCorrelation > CorrelatedAbove && Channels >= 3 && !(SubImageSigmaRatio < HiddenAbove) ? NoiseKind.Correlated
        : PoissonShare > SignalDependentAbove ? NoiseKind.PoissonGaussian
        : NoiseKind.Gaussian;

    /// <summary>The smallest subsampling stride s at which the measured correlation, horizontal and vertical, falls to
    /// <see cref="DecorrelatedBelow"/> or below (1 for noise not classed <see cref="NoiseKind.Correlated"/>; <see cref="NoiseCorrelation.MaxLag"/> + 1 when
    /// it never does within the measured lags).</summary>
    public int DecorrelatingStride
    {
        get
        {
            if (Kind != NoiseKind.Correlated) return 1; // below the threshold the lag-1 value is texture as much as noise
            for (int s = 1; s <= CorrelationHorizontal.Length; s++)
                if (Math.Max(CorrelationHorizontal[s - 1], CorrelationVertical[s - 1]) <= DecorrelatedBelow) return s;
            return CorrelationHorizontal.Length + 1;
        }
    }

    /// <summary>Estimates σ per channel, a Poisson–Gaussian model pooled over the channels (see
    /// <see cref="NoiseEstimation.PoissonGaussian(Image)"/>) and the noise's spatial correlation.</summary>
    /// <exception cref="ArgumentException">The image is too small for the Gaussian estimate.</exception>
    public static NoiseLevelReport Estimate(Image image)
    {
        var perChannel = NoiseEstimation.GaussianSigmaPerChannel(image);
        double? a = null, b = null;
        try
        {
            (a, b) = NoiseEstimation.PoissonGaussian(image);
        }
        catch (ArgumentException)
        {
            // The σ estimate stands on its own; the fit simply has nothing to say about a mostly clipped image.
        }
        var (horizontal, vertical) = Correlation(image);
        double mean = 0;
        for (int c = 0; c < image.Channels; c++)
            foreach (float v in image.Plane(c)) mean += v;
        return new NoiseLevelReport(perChannel, NoiseEstimation.Median(perChannel), a, b)
        {
            CorrelationHorizontal = horizontal,
            CorrelationVertical = vertical,
            MeanIntensity = mean / ((double)image.Width * image.Height * image.Channels),
            SigmaSpread = Spread(image),
            SubImageSigmaRatio = SubImageRatio(image, NoiseEstimation.Median(perChannel)),
            Channels = perChannel.Length,
        };
    }

    private static double SubImageRatio(Image image, double sigma)
    {
        if (!(sigma > 0)) return double.NaN;
        try
        {
            return Decorrelation.PixelShuffle.Split(image, 2).Average(s => NoiseEstimation.Median(NoiseEstimation.GaussianSigmaPerChannel(s))) / sigma;
        }
        catch (ArgumentException)
        {
            return double.NaN; // sub-images too small to estimate: no evidence either way
        }
    }

    /// <summary>Regions per side of the grid <see cref="SigmaSpread"/> compares.</summary>
    private const int Grid = 3;

    private static double Spread(Image image)
    {
        int w = image.Width / Grid, h = image.Height / Grid;
        double low = double.PositiveInfinity, high = 0;
        for (int gy = 0; gy < Grid; gy++)
            for (int gx = 0; gx < Grid; gx++)
            {
                double sigma;
                try
                {
                    sigma = NoiseEstimation.Median(NoiseEstimation.GaussianSigmaPerChannel(image.Crop(gx * w, gy * h, w, h)));
                }
                catch (ArgumentException)
                {
                    return 1; // regions too small to estimate: no spread measured
                }
                (low, high) = (Math.Min(low, sigma), Math.Max(high, sigma));
            }
        return low > 0 ? high / low : 1;
    }

    private static (double[], double[]) Correlation(Image image) =>
        image.Width < NoiseCorrelation.Block || image.Height < NoiseCorrelation.Block ? ([], []) : NoiseCorrelation.MeasureImage(image);
}
