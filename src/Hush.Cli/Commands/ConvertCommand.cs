using System.CommandLine;
using System.Text.Json;
using Hush.Cli.Formats;
using Hush.Imaging;

namespace Hush.Cli.Commands;

/// <summary><c>hush convert INPUT -o OUTPUT</c>: between PNG, PGM/PPM, TIFF, NPY and the photo formats, keeping the sample type and axes
/// where the target holds them, refusing (exit 2) where it cannot unless --allow-lossy.</summary>
internal static class ConvertCommand
{
    public static Command Create()
    {
        var input = CommonOptions.Input("Image or stack (PNG, PGM/PPM, TIFF, NPY, JPEG, BMP, GIF, WebP)");
        var output = CommonOptions.Output();
        output.Description = "Output file (.png, .pgm, .ppm, .pnm, .tif, .tiff, .npy, .jpg, .jpeg, .bmp, .webp); written atomically";
        var axes = CommonOptions.Axes();
        var allowLossy = new Option<bool>("--allow-lossy")
        {
            Description = "Convert even when the target cannot hold the data exactly: samples scaled to 8/16 bits (floats by their min/max when outside [0,1]), alpha dropped for PGM/PPM/JPEG/BMP. " +
                          "JPEG's own compression needs no flag: the .jpg extension asks for it",
        };
        var quality = CommonOptions.Quality();
        var overwrite = CommonOptions.Overwrite();
        var json = CommonOptions.Json();
        var quiet = CommonOptions.Quiet();
        var command = new Command("convert", "Convert between PNG, PGM/PPM, TIFF, NPY, JPEG, BMP and WebP (GIF: read only)")
        {
            input, output, axes, allowLossy, quality, overwrite, json, quiet,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            string inPath = parse.GetValue(input)!, outPath = parse.GetValue(output)!;
            OutputPaths.Check(outPath, parse.GetValue(overwrite), inPath);
            var stack = ImageFile.ReadStack(inPath, InputLimits.For(0), parse.GetValue(axes)?.ToUpperInvariant());
            string extension = OutputFormats.ExtensionOf(outPath);
            if (OutputFormats.Impossible(stack, extension) is string impossible)
                throw new UsageException($"{outPath}: {impossible}");
            string? loss = OutputFormats.Loss(stack, extension);
            if (loss != null && !parse.GetValue(allowLossy))
                throw new UsageException($"{outPath}: {loss} (or pass --allow-lossy)");
            int? q = parse.GetValue(quality);
            if (loss != null)
                OutputPaths.Write(LossyImage(stack), outPath, OutputFormats.IsEightBitOnly(extension) || stack.SampleType is SampleType.Bool or SampleType.UInt8 ? 8 : 16, q);
            else
                OutputPaths.Write(stack, outPath, q);
            if (OutputFormats.IsLossyCompression(extension))
                loss = loss is null ? JpegLoss(q) : $"{loss}; {JpegLoss(q)}";

            var report = new ConvertReport(inPath, outPath, stack.Axes, [.. stack.Shape], stack.SampleType.NumpyName(), loss);
            if (parse.GetValue(json))
                Console.Out.WriteLine(JsonSerializer.Serialize(report, CliJson.Default.ConvertReport));
            else if (!parse.GetValue(quiet))
                Console.Out.WriteLine($"wrote {outPath} ({stack}{(loss is null ? "" : $"; lossy: {loss}")})");
            return ExitCodes.Success;
        }, Console.Error));
        return command;
    }

    private static string JpegLoss(int? quality) => $"JPEG compression at quality {quality ?? PhotoEncoder.DefaultJpegQuality}";

    /// <summary>The one plane as a [0,1] image: integers by their type's range; floats as they are when within [0,1],
    /// else by their own min/max (NaN becomes 0 in the encoder).</summary>
    private static Image LossyImage(ImageStack stack)
    {
        var image = stack.ToImage();
        if (stack.SampleType.IsInteger())
            return image;
        var finite = image.Data.Where(float.IsFinite).DefaultIfEmpty(0f).ToArray();
        float min = finite.Min(), max = finite.Max();
        if (min >= 0 && max <= 1)
            return image;
        float scale = max > min ? max - min : 1;
        return image.WithData(Array.ConvertAll(image.Data, v => (v - min) / scale));
    }
}

/// <summary>--json of <c>hush convert</c>; lossy is null for an exact conversion, else what was lost.</summary>
internal sealed record ConvertReport(string Input, string Output, string Axes, int[] Shape, string Dtype, string? Lossy);
