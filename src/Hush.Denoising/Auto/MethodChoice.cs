using Hush.Denoising.Noise;

namespace Hush.Denoising.Auto;

/// <summary>The method and real-noise setting Hush recommends for an image, and why: one row of
/// <see cref="ChoiceTable"/> matched against the image's <see cref="NoiseLevelReport"/>.</summary>
/// <param name="Row">The name of the table row that matched (stable; tests and reports refer to it).</param>
/// <param name="Method">The method's registry name.</param>
/// <param name="DecorrelationStride">As <see cref="DenoiseOptions.DecorrelationStride"/>: 1 off, 0 auto.</param>
/// <param name="Stabilization">As <see cref="DenoiseOptions.VarianceStabilization"/>.</param>
/// <param name="Reason">Why, in a sentence or two, with the measurements the row rests on.</param>
public sealed record MethodChoice(string Row, string Method, int DecorrelationStride, VarianceStabilization Stabilization, string Reason)
{
    /// <summary>The method's own settings the choice sets, by their flag names (e.g. preset → sidd); empty for none.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>The choice as <c>hush denoise</c> flags, e.g. <c>-m bm3d --decorrelate auto</c>.</summary>
    public string CommandLine
    {
        get
        {
            var flags = new List<string> { "-m", Method };
            if (DecorrelationStride != 1) flags.AddRange(["--decorrelate", DecorrelationStride == 0 ? "auto" : DecorrelationStride.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            if (Stabilization != VarianceStabilization.Off) flags.AddRange(["--stabilize", Stabilization == VarianceStabilization.Auto ? "auto" : "anscombe"]);
            foreach (var (name, value) in Settings) flags.AddRange(["--" + name, value]);
            return string.Join(' ', flags);
        }
    }

    /// <summary><paramref name="options"/> with this choice's method and real-noise setting. The method's own settings
    /// and the iteration count go back to the chosen method's defaults (they belonged to another method).</summary>
    public DenoiseOptions ApplyTo(DenoiseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Methods.MethodRegistry.WithSettings(
            options.ForMethod(Method) with { DecorrelationStride = DecorrelationStride, VarianceStabilization = Stabilization }, Settings);
    }
}
