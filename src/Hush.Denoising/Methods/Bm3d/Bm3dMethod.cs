using Hush.Denoising.Noise;
using Hush.Denoising.Training;
using Hush.Imaging;

namespace Hush.Denoising.Methods.Bm3d;

/// <summary>BM3D and, for RGB, CBM3D (docs/methods/bm3d.md): no training, two passes of block matching and
/// collaborative filtering with the given or estimated σ. RGB images are filtered in the opponent colour space with
/// groups matched on its luminance; any other channel count is filtered per channel with groups matched on the
/// channel mean. Poisson–Gaussian data go through the generalized Anscombe transform, rescaled to 0–255, and back
/// through its exact unbiased inverse. Progress counts batches of reference rows (one per worker) over both stages;
/// cancellation is checked between batches.</summary>
internal sealed class Bm3dMethod : IDenoisingMethod
{
    public float[] Denoise(Image noisy, TrainingContext context, out float finalLoss)
    {
        finalLoss = float.NaN; // nothing is trained
        var o = context.Options.OptionsOf<Bm3dOptions>();
        return o.NoiseModel == Bm3dNoiseModel.PoissonGaussian ? PoissonGaussian(noisy, o, context) : Gaussian(noisy, o, context);
    }

    private static float[] Gaussian(Image noisy, Bm3dOptions o, TrainingContext context)
    {
        // A σ the run knows (the stabilized noise's) beats an estimate: on micrographs whose background is clipped at 0,
        // the stabilized background is flat and the estimate reads the noise far too low.
        double sigma = o.Sigma > 0 ? o.Sigma : context.KnownSigma is double known ? 255 * known : 255 * NoiseEstimation.GaussianSigma(noisy);
        string source = o.Sigma > 0 ? "given" : context.KnownSigma is null ? "estimated" : "of the stabilized data";
        context.NoiseUsed = FormattableString.Invariant($"Gaussian σ {sigma:0.##}/255, {source}");
        if (sigma < 1e-3) return (float[])noisy.Data.Clone(); // no noise to remove
        var data = new float[noisy.Data.Length];
        for (int i = 0; i < data.Length; i++) data[i] = 255f * noisy.Data[i];
        var result = Filter(data, noisy, sigma, o, context);
        for (int i = 0; i < result.Length; i++) result[i] = Math.Clamp(result[i] / 255f, 0f, 1f);
        return result;
    }

    // f(y) spans [lo, hi] with unit noise variance; stretched to 0–255 (where the matching thresholds are defined), its
    // noise deviation is the stretch factor.
    private static float[] PoissonGaussian(Image noisy, Bm3dOptions o, TrainingContext context)
    {
        var (a, b) = NoiseEstimation.PoissonGaussian(noisy);
        if (o.PoissonGain > 0) a = o.PoissonGain;
        if (o.Sigma > 0) b = Math.Pow(o.Sigma / 255.0, 2);
        b = Math.Max(b, 0);
        if (!(a > 1e-9)) return Gaussian(noisy, o with { Sigma = (float)(255 * Math.Sqrt(b)) }, context); // no Poisson part
        context.NoiseUsed = FormattableString.Invariant(
            $"Poisson–Gaussian a {a:G4}, b {b:G4} ({(o.PoissonGain > 0 ? "a given" : "a estimated")}, {(o.Sigma > 0 ? "b given" : "b estimated")})");
        var gat = new GeneralizedAnscombe(a, b);
        var data = new float[noisy.Data.Length];
        for (int i = 0; i < data.Length; i++) data[i] = (float)gat.Forward(noisy.Data[i]);
        float lo = data.Min(), hi = data.Max();
        double stretch = hi > lo ? 255.0 / (hi - lo) : 1;
        for (int i = 0; i < data.Length; i++) data[i] = (float)((data[i] - lo) * stretch);
        var result = Filter(data, noisy, stretch, o, context);
        for (int i = 0; i < result.Length; i++)
            result[i] = Math.Clamp((float)gat.Inverse(result[i] / stretch + lo), 0f, 1f);
        return result;
    }

    // Both stages on planes on the 0–255 scale with noise deviation sigma per input channel.
    private static float[] Filter(float[] data, Image noisy, double sigma, Bm3dOptions o, TrainingContext context)
    {
        int w = noisy.Width, h = noisy.Height, c = noisy.Channels, n = w * h;
        var parameters = Bm3dParameters.For(o.Profile, sigma);
        bool colour = c == 3;
        if (colour) data = ColourTransform.ToOpponent(data, n);
        var sigmas = new float[c];
        for (int k = 0; k < c; k++) sigmas[k] = (float)sigma * (colour ? ColourTransform.NoiseScale[k] : 1f);

        var filter = new Bm3dFilter(w, h, c, sigmas, parameters);
        int total = filter.Batches(parameters.HardThreshold) + (o.Wiener ? filter.Batches(parameters.Wiener) : 0), done = 0;
        context.Cancel.ThrowIfCancellationRequested();
        void AfterBatch()
        {
            context.Progress?.Report(new TrainingProgress(++done, total, float.NaN, context.Clock.Elapsed));
            context.Cancel.ThrowIfCancellationRequested();
        }

        var result = filter.HardThreshold(data, MatchingPlane(data, c, n, colour), AfterBatch);
        if (o.Wiener) result = filter.Wiener(data, result, MatchingPlane(result, c, n, colour), AfterBatch);
        return colour ? ColourTransform.FromOpponent(result, n) : result;
    }

    /// <summary>The plane groups are matched on: the only channel, the opponent luminance, or the channel mean.</summary>
    private static float[] MatchingPlane(float[] planes, int channels, int n, bool colour)
    {
        if (channels == 1 || colour) return planes[..n];
        var mean = new float[n];
        for (int k = 0; k < channels; k++)
        for (int i = 0; i < n; i++) mean[i] += planes[k * n + i] / channels;
        return mean;
    }
}
