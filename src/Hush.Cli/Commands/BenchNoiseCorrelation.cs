using System.Globalization;
using Hush.Denoising.Noise;
using Hush.Imaging;

namespace Hush.Cli.Commands;

/// <summary>The correlation table of <c>hush bench noise --correlation</c>: <see cref="NoiseCorrelation"/> read from
/// the noisy image alone, beside the autocorrelation of the noise it really carries (noisy − clean over the whole image)
/// when a clean reference is given, and on clean images with synthetic white Gaussian noise.</summary>
internal static class BenchNoiseCorrelation
{
    /// <summary>Noisy/clean pairs: the real camera and microscopy pairs name their files differently, so every noisy
    /// file is matched to its reference by the naming conventions of the data sets (noisy/X ↔ clean/X, X_real ↔ X_mean,
    /// NOISY_i ↔ GT_i).</summary>
    public static void PairTable(IEnumerable<string> noisyFiles)
    {
        var o = Console.Out;
        o.WriteLine();
        o.WriteLine("Noise autocorrelation at lags 1, 2, 3 (horizontal / vertical, mean over colour channels): estimated from the noisy image alone, and of noisy − clean");
        o.WriteLine("| image | estimated h1 h2 h3 | estimated v1 v2 v3 | residual h1 h2 h3 | residual v1 v2 v3 |");
        o.WriteLine("|---|---|---|---|---|");
        foreach (string noisyPath in noisyFiles)
        {
            var noisy = ImageFile.Read(noisyPath);
            string? cleanPath = CleanFor(noisyPath);
            var (eh, ev) = Estimated(noisy);
            string truth = " — | — ";
            if (cleanPath is not null && File.Exists(cleanPath))
            {
                var (rh, rv) = Residual(noisy, ImageFile.Read(cleanPath));
                truth = $"{Lags(rh)} | {Lags(rv)}";
            }
            o.WriteLine($"| {Path.GetFileName(noisyPath)} | {Lags(eh)} | {Lags(ev)} | {truth} |");
        }
    }

    /// <summary>Clean images with white Gaussian noise of each σ (clipped): the estimate should stay near 0.</summary>
    public static void SyntheticTable(IReadOnlyList<string> files, double[] sigmas, ulong seed)
    {
        var o = Console.Out;
        o.WriteLine();
        o.WriteLine($"White Gaussian noise (clipped, seed {seed}) on {files.Count} images: estimated lag-1 autocorrelation, mean and largest over images");
        o.WriteLine("| σ | mean h1 | mean v1 | largest of h1, v1 | image |");
        o.WriteLine("|---|---|---|---|---|");
        var images = files.Select(f => ImageFile.Read(f)).ToList();
        foreach (double sigma in sigmas)
        {
            double h = 0, v = 0, worst = double.NegativeInfinity;
            string worstName = "";
            for (int i = 0; i < images.Count; i++)
            {
                var (eh, ev) = Estimated(NoiseSynthesis.AddGaussian(images[i], sigma, seed, clip: true));
                h += eh[0]; v += ev[0];
                double largest = Math.Max(eh[0], ev[0]);
                if (largest > worst) (worst, worstName) = (largest, Path.GetFileName(files[i]));
            }
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {sigma:0.#} | {h / images.Count:+0.000;-0.000} | {v / images.Count:+0.000;-0.000} | {worst:+0.000;-0.000} | {worstName} |"));
        }
    }

    internal static string? CleanFor(string noisyPath)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(noisyPath))!, name = Path.GetFileName(noisyPath);
        if (name.Contains("_real.", StringComparison.Ordinal)) return Path.Combine(dir, name.Replace("_real.", "_mean.", StringComparison.Ordinal));
        if (name.StartsWith("NOISY_", StringComparison.Ordinal)) return Path.Combine(dir, "GT_" + name["NOISY_".Length..]);
        if (Path.GetFileName(dir) == "noisy") return Path.Combine(Path.GetDirectoryName(dir)!, "clean", name);
        return null;
    }

    private static (double[] H, double[] V) Estimated(Image image) => NoiseCorrelation.MeasureImage(image);

    /// <summary>Autocorrelation of noisy − clean over the whole image, per channel about its own mean.</summary>
    private static (double[] H, double[] V) Residual(Image noisy, Image clean)
    {
        int w = noisy.Width, hgt = noisy.Height, lags = NoiseCorrelation.MaxLag;
        var h = new double[lags];
        var v = new double[lags];
        for (int c = 0; c < noisy.Channels; c++)
        {
            var n = noisy.Plane(c);
            var k = clean.Plane(c);
            var r = new double[n.Length];
            double mean = 0;
            for (int i = 0; i < r.Length; i++) { r[i] = n[i] - k[i]; mean += r[i]; }
            mean /= r.Length;
            double energy = 0;
            for (int i = 0; i < r.Length; i++) { r[i] -= mean; energy += r[i] * r[i]; }
            energy /= r.Length;
            for (int d = 1; d <= lags; d++)
            {
                double sh = 0, sv = 0;
                for (int y = 0; y < hgt; y++)
                    for (int x = 0; x < w; x++)
                    {
                        if (x + d < w) sh += r[y * w + x] * r[y * w + x + d];
                        if (y + d < hgt) sv += r[y * w + x] * r[(y + d) * w + x];
                    }
                h[d - 1] += sh / ((double)(w - d) * hgt) / energy / noisy.Channels;
                v[d - 1] += sv / ((double)w * (hgt - d)) / energy / noisy.Channels;
            }
        }
        return (h, v);
    }

    private static string Lags(double[] values) =>
        string.Join(" ", values.Select(x => (Math.Round(x, 2) + 0.0).ToString("+0.00;-0.00", CultureInfo.InvariantCulture))); // + 0.0 turns −0 into 0
}
