using System.Globalization;
using System.Text;
using Hush.Denoising.Methods;
using Hush.Denoising.Noise;
using Hush.Denoising.Training;

namespace Hush.Denoising.Reports;

/// <summary>The report's tables: noise, settings, timings, files. Numbers are written in the invariant culture.</summary>
internal static class ReportSections
{
    /// <summary>The noise report as <c>hush info --noise</c> gives it: σ of 255 and per channel, Poisson–Gaussian
    /// a and b with the signal-dependent share, the autocorrelation at lags 1–3, the kind and the decorrelating stride;
    /// then what the run used.</summary>
    public static void Noise(StringBuilder page, NoiseLevelReport? noise, DenoiseResult result)
    {
        var rows = new List<(string, string)>();
        if (noise is null)
        {
            rows.Add(("estimate", "none: the image is too small to estimate its noise"));
        }
        else
        {
            rows.Add(("σ", I($"{noise.Sigma * 255:0.0}/255 ({noise.Sigma:G4} of the range)")));
            if (noise.SigmaPerChannel.Length > 1)
                rows.Add(("σ per channel", string.Join(", ", noise.SigmaPerChannel.Select(s => I($"{s * 255:0.0}")))));
            rows.Add(("kind", KindName(noise.Kind)));
            rows.Add(("Poisson–Gaussian", noise.PoissonA is double a && noise.PoissonB is double b
                ? I($"var = a·x + b, a = {a:G3}, b = {b:G3}")
                : "no fit (too few unclipped blocks)"));
            rows.Add(("Poisson share", noise.PoissonShare is double share ? I($"{100 * share:0}% of the variance at the mean intensity {noise.MeanIntensity:G3}") : "—"));
            rows.Add(("correlation", noise.CorrelationHorizontal.Length == 0 ? "not measured (image smaller than one block)"
                : $"lags 1–{noise.CorrelationHorizontal.Length}: {Lags(noise.CorrelationHorizontal)} (rows), {Lags(noise.CorrelationVertical)} (columns)"));
            rows.Add(("decorrelating stride", noise.DecorrelatingStride.ToString(CultureInfo.InvariantCulture)));
        }
        if (result.NoiseUsed is string used) rows.Add(("noise the method used", used));
        rows.Add(("stride denoised at", result.DecorrelationStride == 1 ? "1 (the image whole)" : I($"{result.DecorrelationStride} (pixel-shuffled sub-images)")));
        ReportPage.Table(page, "Noise", rows, "Estimated from the noisy image shown, as hush info --noise reports it.");
    }

    public static void Settings(StringBuilder page, DenoiseResult result)
    {
        var descriptor = MethodRegistry.All.FirstOrDefault(d => d.Name == result.Method);
        bool trains = descriptor is null || !descriptor.Can(MethodCapabilities.Classical);
        var rows = new List<(string, string)> { ("method", descriptor is null ? result.Method : $"{result.Method}: {descriptor.Summary}") };
        rows.Add(("iterations", trains ? I($"{result.Iterations}") : "— (trains nothing)"));
        var options = result.Options;
        if (options is not null && trains) rows.Add(("learning rate", I($"{options.EffectiveLearningRate:G4}")));
        rows.Add(("seed", I($"{result.Seed}")));
        rows.Add(("threads", I($"{result.Threads}")));
        if (options is not null && descriptor is not null)
        {
            foreach (var p in descriptor.Parameters.Where(p => p.Method == options.Method))
                rows.Add((p.Flag ?? p.Name, p.ValueIn(options)));
            rows.Add(("decorrelate", options.DecorrelationStride switch { 0 => "auto", 1 => "off", int s => I($"{s}") }));
            rows.Add(("stabilize", options.VarianceStabilization.ToString().ToLowerInvariant()));
            if (options.TrainPlanes > 0) rows.Add(("train planes", I($"{options.TrainPlanes}")));
            rows.Add(("memory budget", options.MemoryBudget == 0 ? "auto (half the available memory)" : I($"{options.MemoryBudget} bytes")));
            rows.Add(("patch size", I($"{options.PatchSize}")));
            if (options.CheckpointEvery > 0) rows.Add(("checkpoint every", I($"{options.CheckpointEvery} steps")));
        }
        ReportPage.Table(page, "Settings", rows, options is null ? "The result carries no options: only what it reports is shown." : null);
    }

    /// <summary>The run's time, and how it split between training steps and ensemble passes. Each report's elapsed time
    /// counts from its plane's start, so a phase's time is the sum of the steps between consecutive reports of that phase
    /// (a report whose clock went back starts a new plane and counts from zero).</summary>
    public static void Timings(StringBuilder page, DenoiseResult result, IReadOnlyList<TrainingProgress> progress)
    {
        double training = 0, ensemble = 0, last = 0;
        int steps = 0, passes = 0;
        foreach (var p in progress)
        {
            double now = p.Elapsed.TotalSeconds, spent = now >= last ? now - last : now;
            last = now;
            if (p.Phase == TrainingPhase.Ensemble) { ensemble += spent; passes++; }
            else { training += spent; steps++; }
        }
        var rows = new List<(string, string)> { ("denoising", I($"{result.Seconds:0.00} s")) };
        if (steps > 0) rows.Add(("training phase", I($"{training:0.00} s over {steps} reports, {1000 * training / steps:0.0} ms each")));
        if (passes > 0) rows.Add(("ensemble phase", I($"{ensemble:0.00} s over {passes} passes, {1000 * ensemble / passes:0.0} ms each")));
        if (steps + passes == 0) rows.Add(("progress", "no reports were collected"));
        ReportPage.Table(page, "Timings", rows);
    }

    public static void Files(StringBuilder page, DenoiseReport report)
    {
        var rows = new List<(string, string)>();
        if (report.InputPath is string input) rows.Add(("input", WithSize(input)));
        if (report.OutputPath is string output) rows.Add(("output", WithSize(output)));
        var n = report.Noisy;
        rows.Add(("image", I($"{n.Width}×{n.Height}, {n.Channels} channel{(n.Channels == 1 ? "" : "s")}{(n.HasAlpha ? " + alpha (not denoised, not shown)" : "")}")));
        rows.AddRange(report.Details.Select(d => (d.Key, d.Value)));
        rows.Add(("Hush", DenoiseReport.HushVersion));
        rows.Add(("runtime", $"{System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}"));
        ReportPage.Table(page, "Files and run", rows);
    }

    private static string WithSize(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? I($"{path} ({Size(file.Length)})") : path;
    }

    private static string Size(long bytes) => bytes switch
    {
        < 1024 => I($"{bytes} B"),
        < 1024 * 1024 => I($"{bytes / 1024.0:0.0} KiB"),
        _ => I($"{bytes / (1024.0 * 1024):0.0} MiB"),
    };

    private static string Lags(double[] values) => string.Join(" ", values.Select(v => (Math.Round(v, 2) + 0.0).ToString("0.00", CultureInfo.InvariantCulture)));

    private static string KindName(NoiseKind kind) => kind switch
    {
        NoiseKind.PoissonGaussian => "poisson-gaussian",
        NoiseKind.Correlated => "correlated",
        _ => "gaussian",
    };

    private static string I(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
