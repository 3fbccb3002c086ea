using System.Diagnostics;
using System.Security.Cryptography;
using Hush.Denoising.Methods;
using Hush.Denoising.Methods.ZsN2N;
using Hush.Denoising.Training;
using Hush.Engine;
using Hush.Imaging;

namespace Hush.Denoising;

/// <summary>The library's single entry point: give it one noisy image, get it back denoised.
/// <code>
/// var result = new Denoiser(new DenoiseOptions { Iterations = 3000, Seed = 1 }).Denoise(image);
/// ImageFile.Write(result.Output, "clean.png");
/// </code></summary>
public sealed class Denoiser
{
    private static readonly IDenoisingMethod[] Registry =
        [new ZsN2NMethod(), new Methods.LotaN2N.LotaN2NMethod(), new Methods.SelfToSelf.Self2SelfPlusMethod(), new Methods.SelfToSelf.Self2SelfMethod()];

    /// <summary>Names accepted by <see cref="DenoiseOptions.Method"/>.</summary>
    public static IReadOnlyList<string> Methods { get; } = Registry.Select(m => m.Name).ToArray();

    public DenoiseOptions Options { get; }

    public Denoiser(DenoiseOptions? options = null)
    {
        Options = options ?? new DenoiseOptions();
        Options.Validate();
    }

    /// <summary>Trains a fresh network on <paramref name="noisy"/> and returns the denoised image, with the
    /// input's size, bit depth and alpha. Cancellation is checked between training steps.</summary>
    /// <remarks>The thread count is applied through the engine's process-wide <see cref="Threading.MaxThreads"/>
    /// for the duration of the call, so run one denoise at a time per process (parallel calls would
    /// overwrite each other's setting). A per-call engine context is the fix when batch mode needs it.</remarks>
    public DenoiseResult Denoise(Image noisy, IProgress<TrainingProgress>? progress = null,
        CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(noisy);
        RequireFinite(noisy);
        var method = Registry.First(m => m.Name == Options.Method);
        ulong seed = Options.Seed ?? BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
        int threads = Options.Threads > 0 ? Options.Threads : Environment.ProcessorCount;

        int previousThreads = Threading.MaxThreads;
        Threading.MaxThreads = threads;
        try
        {
            var clock = Stopwatch.StartNew();
            var context = new TrainingContext(Options, seed, progress, cancel);
            float[] data = method.Denoise(noisy, context, out float finalLoss);
            return new DenoiseResult(noisy.WithData(data), method.Name, Options.Iterations, seed, threads,
                clock.Elapsed.TotalSeconds, finalLoss);
        }
        finally
        {
            Threading.MaxThreads = previousThreads;
        }
    }

    private static void RequireFinite(Image image)
    {
        foreach (float v in image.Data)
            if (!float.IsFinite(v))
                throw new ArgumentException("the input image contains NaN or infinite values");
    }
}
