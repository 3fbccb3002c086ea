using Hush.Denoising.Training;
using Hush.Imaging;

namespace Hush.Denoising;

public sealed partial class Denoiser
{
    /// <summary><see cref="Denoise"/> on a worker thread. Each call runs in an engine context of its own, so several
    /// may run at once (<c>Task.WhenAll</c>) and each gives the bits it gives alone.</summary>
    /// <exception cref="OperationCanceledException">Cancelled (between training steps).</exception>
    public Task<DenoiseResult> DenoiseAsync(Image noisy, IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(noisy);
        return Task.Run(() => Denoise(noisy, progress, cancel), cancel);
    }

    /// <summary><see cref="DenoiseStack"/> on a worker thread (the stack is not modified).</summary>
    public Task<StackDenoiseResult> DenoiseStackAsync(ImageStack noisy, IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(noisy);
        return Task.Run(() => DenoiseStack(noisy, progress, cancel), cancel);
    }

    /// <summary>Reads <paramref name="inputPath"/> (any supported format, any stack), denoises every plane and writes
    /// the result to <paramref name="outputPath"/> atomically (format by extension; an existing file is replaced,
    /// and left as it was if anything fails).</summary>
    /// <exception cref="ImageFormatException">The input cannot be read, or the output format cannot hold the result.</exception>
    public Task<StackDenoiseResult> DenoiseFileAsync(string inputPath, string outputPath, IProgress<TrainingProgress>? progress = null,
        CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(inputPath);
        ArgumentNullException.ThrowIfNull(outputPath);
        return Task.Run(() =>
        {
            var result = DenoiseStack(ImageFile.ReadStack(inputPath), progress, cancel, overwriteInput: true);
            ImageFile.WriteStack(result.Output, outputPath);
            return result;
        }, cancel);
    }

    /// <summary>Reads an image file's bytes from <paramref name="input"/>, denoises it, and writes the result to
    /// <paramref name="output"/> in <paramref name="outputFormat"/> (an extension: ".png", ".tif", ".npy", ...).
    /// The codecs work on files, so the bytes pass through a temporary folder, deleted afterwards.</summary>
    public Task<StackDenoiseResult> DenoiseAsync(Stream input, Stream output, string outputFormat,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        if (!ImageFile.IsSupportedExtension("x" + outputFormat))
            throw new ArgumentException($"unknown output format '{outputFormat}' (use .png, .pgm, .ppm, .pnm, .tif, .tiff or .npy)", nameof(outputFormat));
        return Task.Run(async () =>
        {
            string folder = Directory.CreateTempSubdirectory("hush-").FullName;
            try
            {
                string inPath = Path.Combine(folder, "input"), outPath = Path.Combine(folder, "output" + outputFormat);
                await using (var file = File.Create(inPath)) await input.CopyToAsync(file, cancel);
                var result = await DenoiseFileAsync(inPath, outPath, progress, cancel);
                await using (var file = File.OpenRead(outPath)) await file.CopyToAsync(output, cancel);
                return result;
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }, cancel);
    }

    /// <summary><see cref="Apply"/> on a worker thread.</summary>
    public Task<DenoiseResult> ApplyAsync(DenoiseModel model, Image image, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(image);
        return Task.Run(() => Apply(model, image, cancel), cancel);
    }
}
