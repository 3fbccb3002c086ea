using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Hush.Denoising.Metrics;
using Hush.Imaging;

namespace Hush.Cli.Commands;

/// <summary><c>hush metrics IMAGE --reference CLEAN</c>: PSNR and SSIM as scikit-image defines them.</summary>
internal static class MetricsCommand
{
    public static Command Create()
    {
        var image = CommonOptions.Input("Image to score");
        var reference = new Option<string>("--reference", "-r") { Description = "Clean reference image", Required = true };
        var json = CommonOptions.Json();
        var command = new Command("metrics", "PSNR (dB) and SSIM of an image against a clean reference")
        {
            image, reference, json,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            string testPath = parse.GetValue(image)!, refPath = parse.GetValue(reference)!;
            var test = ImageFile.Read(testPath, InputLimits.For(0));
            var clean = ImageFile.Read(refPath, InputLimits.For(0));
            if (test.Width != clean.Width || test.Height != clean.Height || test.Channels != clean.Channels)
                throw new ImageFormatException(
                    $"is {test.Width}x{test.Height}x{test.Channels} but the reference {refPath} is {clean.Width}x{clean.Height}x{clean.Channels}",
                    testPath);
            double psnr = Psnr.Compute(test, clean);
            double ssim = Ssim.Compute(test, clean);
            if (parse.GetValue(json))
                Console.Out.WriteLine(JsonSerializer.Serialize(
                    new MetricsReport(testPath, refPath, psnr, ssim), CliJson.Default.MetricsReport));
            else
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"PSNR {psnr:0.0000} dB  SSIM {ssim:0.000000}"));
            return ExitCodes.Success;
        }, Console.Error));
        return command;
    }
}

internal sealed record MetricsReport(string Image, string Reference, double Psnr, double Ssim);
