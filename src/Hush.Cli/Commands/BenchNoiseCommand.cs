using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Hush.Denoising.Noise;
using Hush.Imaging;

namespace Hush.Cli.Commands;

/// <summary><c>hush bench noise</c>: how well <see cref="NoiseEstimation"/> reads the noise level back. Gaussian σ on
/// clean images noised with known σ (clipped and unclipped), and the Poisson–Gaussian fit on noisy/clean pairs, checked
/// against the same fit applied to the residual noisy − clean placed at the clean intensity.</summary>
internal static class BenchNoiseCommand
{
    public static Command Create()
    {
        var clean = new Option<string[]>("--clean") { Description = "Clean images or folders of them, for the Gaussian σ table", AllowMultipleArgumentsPerToken = true };
        var sigmas = new Option<string>("--sigmas") { Description = "Comma-separated σ (of 255)", DefaultValueFactory = _ => "5,10,15,25,50,75" };
        var seed = new Option<ulong>("--noise-seed") { Description = "Seed of the synthetic noise (every image)", DefaultValueFactory = _ => 0 };
        var pairs = new Option<string?>("--pairs") { Description = "Folder holding noisy/ and clean/ with the same file names, for the Poisson–Gaussian fit" };
        var correlation = new Option<string[]>("--correlation")
        {
            Description = "Noisy images (or folders): the noise's spatial autocorrelation estimated from each, beside that of noisy − clean where the clean reference is found; with --clean, also on white Gaussian noise",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("noise", "Accuracy of the noise-level estimates: σ per image and noise level, and the Poisson–Gaussian fit on noisy/clean pairs")
        {
            clean, sigmas, seed, pairs, correlation,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var files = (parse.GetValue(clean) ?? []).SelectMany(Expand).ToList();
            var correlated = parse.GetValue(correlation) is { Length: > 0 } given ? given : null;
            if (files.Count == 0 && parse.GetValue(pairs) is null && correlated is null) throw new UsageException("give --clean, --pairs or --correlation");
            var levels = parse.GetValue(sigmas)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => double.TryParse(s, CultureInfo.InvariantCulture, out double v) && v > 0 ? v : throw new UsageException($"--sigmas: cannot parse '{s}'"))
                .ToArray();
            if (correlated is not null)
            {
                BenchNoiseCorrelation.PairTable(correlated.SelectMany(Expand));
                if (files.Count > 0) BenchNoiseCorrelation.SyntheticTable(files, levels, parse.GetValue(seed));
                return ExitCodes.Success;
            }
            if (files.Count > 0) SigmaTable(files, levels, parse.GetValue(seed));
            if (parse.GetValue(pairs) is string folder) PairTable(folder);
            return ExitCodes.Success;
        }, Console.Error));
        return command;
    }

    private static IEnumerable<string> Expand(string path) =>
        Directory.Exists(path) ? Directory.EnumerateFiles(path).Where(ImageFile.IsSupportedExtension).Order(StringComparer.Ordinal) : [path];

    private static void SigmaTable(List<string> files, double[] levels, ulong seed)
    {
        var images = files.Select(f => ImageFile.Read(f)).ToList();
        var o = Console.Out;
        o.WriteLine($"Gaussian σ on {images.Count} images (noise seed {seed}); relative error of the estimate, in %");
        o.WriteLine("| σ | noise | mean est. σ | mean rel. error | mean abs. rel. error | max abs. rel. error | worst image | ms/image |");
        o.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (double sigma in levels)
            foreach (bool clip in new[] { false, true })
            {
                var errors = new List<double>();
                double estimates = 0, worst = -1, milliseconds = 0;
                string worstName = "";
                for (int i = 0; i < images.Count; i++)
                {
                    var noisy = NoiseSynthesis.AddGaussian(images[i], sigma, seed, clip);
                    var timer = Stopwatch.StartNew();
                    double estimate = NoiseEstimation.GaussianSigma(noisy) * 255;
                    milliseconds += timer.Elapsed.TotalMilliseconds;
                    double error = (estimate - sigma) / sigma;
                    errors.Add(error);
                    estimates += estimate;
                    if (Math.Abs(error) > worst) (worst, worstName) = (Math.Abs(error), Path.GetFileName(files[i]));
                }
                o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {sigma:0.#} | {(clip ? "clipped" : "unclipped")} | {estimates / images.Count:0.00} | {100 * errors.Average():+0.0;-0.0} | {100 * errors.Average(Math.Abs):0.0} | {100 * worst:0.0} | {worstName} | {milliseconds / images.Count:0} |"));
            }
    }

    private static void PairTable(string folder)
    {
        var o = Console.Out;
        o.WriteLine();
        o.WriteLine($"Poisson–Gaussian var(y | x) = a·x + b on {folder} (a, b in [0,1] units; σ at x: √(a·x + b)·255)");
        o.WriteLine("| image | fitted a | fitted b | residual a | residual b | σ@0.1 fitted / residual | σ@0.5 fitted / residual | Gaussian σ (of 255) |");
        o.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (string noisyPath in Expand(Path.Combine(folder, "noisy")))
        {
            string name = Path.GetFileName(noisyPath);
            var noisy = ImageFile.Read(noisyPath);
            var clean = ImageFile.Read(Path.Combine(folder, "clean", name));
            var (a, b) = NoiseEstimation.PoissonGaussian(noisy);
            var (ra, rb) = ResidualFit(noisy, clean);
            static double S(double a, double b, double x) => Math.Sqrt(Math.Max(0, a * x + b)) * 255;
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {a:0.00000} | {b:0.000000} | {ra:0.00000} | {rb:0.000000} | {S(a, b, 0.1):0.0} / {S(ra, rb, 0.1):0.0} | {S(a, b, 0.5):0.0} / {S(ra, rb, 0.5):0.0} | {NoiseEstimation.GaussianSigma(noisy) * 255:0.0} |"));
        }
    }

    /// <summary>The reference: var(noisy − clean) against the clean intensity, grouped into intensity bins (1/64 wide,
    /// at least 256 pixels each) and fitted with the same weighted straight line, so that the estimator is compared with
    /// the noise the image really carries rather than with the parameters its maker intended.</summary>
    private static (double A, double B) ResidualFit(Image noisy, Image clean)
    {
        const int Bins = 64;
        var sum = new double[Bins];
        var squares = new double[Bins];
        var count = new double[Bins];
        var intensity = new double[Bins];
        for (int i = 0; i < clean.Data.Length; i++)
        {
            double x = clean.Data[i], r = noisy.Data[i] - x;
            int bin = Math.Clamp((int)(x * Bins), 0, Bins - 1);
            sum[bin] += r; squares[bin] += r * r; count[bin]++; intensity[bin] += x;
        }
        var groups = Enumerable.Range(0, Bins).Where(k => count[k] >= 256)
            .Select(k => (intensity[k] / count[k], squares[k] / count[k] - sum[k] * sum[k] / (count[k] * count[k]), count[k])).ToList();
        return NoiseEstimation.FitVarianceLine(groups);
    }
}
