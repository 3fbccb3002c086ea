using System.Globalization;
using Hush.Denoising.Noise;

namespace Hush.Denoising.Auto;

/// <summary>
/// Which method and setting Hush recommends for an image, from its noise report: the one place where the measured
/// quality tables (bench/RESULTS.md) turn into a choice. Rows are tried in order; the first whose noise kind matches
/// wins. Each row's reason quotes the measurements it rests on, so a reader can check it and a later measurement can
/// overturn it here, in one edit (with its test in ChoiceTableTests).
/// </summary>
/// <remarks>Without a time budget every row but one picks BM3D, in seconds: on every kind of noise measured, BM3D with the
/// right transform matched or beat the network methods' defaults, except white noise whose level changes across the
/// image, where one σ does not fit and ZS-N2N was ahead on every crop. With a budget that holds it, camera noise that is white
/// again at stride 2 (the SIDD phones') gets Self2Self+ with the official SIDD settings, 2.3 and 3.9 dB above BM3D on the
/// two SIDD images it was measured on; it lost to BM3D by 2.6 dB on a Nikon pair whose noise reaches further.</remarks>
public static class ChoiceTable
{
    /// <summary>A row: its name, the noise kind it takes, when it applies given the time (always, without a test), and
    /// how it builds the choice from the report.</summary>
    private sealed record Row(string Name, NoiseKind Kind, Func<NoiseLevelReport, MethodChoice> Choose, Func<NoiseLevelReport, RunTime?, bool>? Fits = null);

    private static readonly Row[] Rows =
    [
        new("camera-noise-with-time", NoiseKind.Correlated, r => new MethodChoice("camera-noise-with-time", "self2self-plus", 1, VarianceStabilization.Off,
            "The noise is spatially correlated over one pixel only (white again at stride 2), as on the SIDD phones, and the " +
            "time budget holds a Self2Self+ run with the official SIDD settings (90% of the samples masked each step, 1000 " +
            "steps, 500 passes). Measured on two SIDD images: 37.70 dB against 35.36 for BM3D on the pixel-shuffled sub-images " +
            "(NOISY_8), 36.57 against 32.64 (a 256² crop of NOISY_0; 465 s on two threads, against 2 s). Noise that reaches further (a Nikon CC pair, stride 3) is left " +
            "to BM3D: there Self2Self+ gained 0.5 dB where BM3D on the sub-images gained 3.2.")
        {
            Settings = new Dictionary<string, string> { ["preset"] = "sidd" },
        }, (r, t) => r.DecorrelatingStride == 2 && t is { AllowsSelf2SelfPlusSidd: true }),
        new("correlated-camera-noise", NoiseKind.Correlated, r => new MethodChoice("correlated-camera-noise", "bm3d", 0, VarianceStabilization.Off,
            $"The noise is spatially correlated (lag-1 autocorrelation {F2(r.LagOneCorrelation)}), as camera sRGB noise is: " +
            $"on the pixel-shuffled sub-images at stride {r.DecorrelatingStride} it is white again, and BM3D's estimate reads it right. " +
            "Measured on the 5 real camera pairs (SIDD, CC): 34.37 dB mean, against 30.84 for BM3D on the image as it is " +
            "and 32.02 for ZS-N2N on the same sub-images (3 pairs; minutes instead of seconds)." + (r.DecorrelatingStride == 2 ? SiddHint : ""))),
        new("signal-dependent-noise", NoiseKind.PoissonGaussian, r => new MethodChoice("signal-dependent-noise", "bm3d", 1, VarianceStabilization.Anscombe,
            $"The noise grows with the signal ({Percent(r.PoissonShare)} of its variance at the mean intensity is the Poisson part), " +
            "as in fluorescence micrographs: the generalized Anscombe transform makes it Gaussian of a known σ, with an exact unbiased inverse. " +
            "Measured on the 5 confocal micrographs: 36.87 dB mean, against 31.04 for BM3D on the raw data; ZS-N2N reached " +
            "32.90 on BPAE_G, where this gave 34.30.")),
        new("spatially-varying-noise", NoiseKind.Gaussian, r => new MethodChoice("spatially-varying-noise", "zs-n2n", 1, VarianceStabilization.Off,
            $"The noise is white but its level changes across the image (σ ≈ {F2(r.Sigma * 255)}/255 overall, {F2(r.SigmaSpread)}× " +
            "from the quietest region to the noisiest): BM3D filters with one σ, too little in one place and too much in another, " +
            "while a network trained on the image itself learns each level where it is. Measured on 5 crops (3 Set12, 2 confocal) " +
            "with σ rising from 5 to 50 across the image: ZS-N2N 26.61 dB mean, BM3D with its own σ estimate 24.41, behind on " +
            "every crop (by 1.1 to 3.6 dB)."), (r, _) => r.SigmaSpread > VaryingSpreadAbove && r.Sigma * 255 >= VaryingSigmaFrom),
        new("white-gaussian-noise", NoiseKind.Gaussian, r => new MethodChoice("white-gaussian-noise", "bm3d", 1, VarianceStabilization.Off,
            $"The noise is white and of one level (σ ≈ {F2(r.Sigma * 255)}/255{Faint(r.Sigma)}). " +
            "Measured on 12 synthetic Gaussian crops (CBSD68, McMaster, Kodak at σ = 25 and 50): BM3D with its own σ " +
            "estimate averaged 0.48 dB above Self2Self+, the strongest network Hush has, in under 2 s against 15–60 min per crop; " +
            "Self2Self+ won 4 of the 12, by up to 0.87 dB (McMaster at σ = 50), so it is the one to try when time allows. " +
            "At σ = 75 and 100 (7 crops) the networks split by image: Self2Self+ or Blind2Grad led BM3D by up to 1.07 dB on " +
            "McMaster, and trailed it by up to 2.25 dB on CBSD68 and Kodak; BM3D's mean over the 7 was level with Blind2Grad's.")),
    ];

    /// <summary>What the seconds-fast row gives up on SIDD-like noise, so the report names the best setting Hush has for it
    /// and how to let auto take it.</summary>
    private const string SiddHint = " Noise white again at stride 2, as here, measured 2.3 and 3.9 dB higher with " +
        "-m self2self-plus --preset sidd (two SIDD images), at about 10 minutes per 256² on two threads: a --time-budget " +
        "that holds such a run lets auto take it.";

    /// <summary>Regional σ spread (<see cref="NoiseLevelReport.SigmaSpread"/>) above which white noise counts as spatially
    /// varying. White noise of one level measured at most 1.57 on 40 Set12, CBSD68, McMaster and Kodak crops (128² and 256²)
    /// at σ = 15–50; σ rising from 5 to 50 across the image at least 2.26 on the same crops.</summary>
    public const double VaryingSpreadAbove = 2.2;

    /// <summary>Overall σ (0–255) from which the spread is read as the noise's: at σ = 5 texture alone spread a textured
    /// 128² crop's regional estimates 2.89× (Set12/01), and there BM3D is 3.8 dB above every network.</summary>
    public const double VaryingSigmaFrom = 10;

    /// <summary>The names of the rows, in the order they are tried.</summary>
    public static IReadOnlyList<string> RowNames => Rows.Select(r => r.Name).ToArray();

    /// <summary>The recommendation for an image whose noise report is <paramref name="report"/>; with
    /// <paramref name="time"/>, a slower method is chosen only when the time budget holds it.</summary>
    public static MethodChoice Recommend(NoiseLevelReport report, RunTime? time = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        foreach (var row in Rows)
            if (row.Kind == report.Kind && (row.Fits?.Invoke(report, time) ?? true)) return row.Choose(report);
        throw new InvalidOperationException($"no choice row for noise kind {report.Kind}"); // every kind has a row
    }

    private static string F2(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Percent(double? share) => share is double s ? (100 * s).ToString("0", CultureInfo.InvariantCulture) + "%" : "most";

    private static string Faint(double sigma) => sigma * 255 < 1 ? ", below one grey level: expect little change" : "";
}
