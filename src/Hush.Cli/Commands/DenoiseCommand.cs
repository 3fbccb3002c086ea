using System.CommandLine;
using System.Text.Json;
using Hush.Denoising;
using Hush.Imaging;

namespace Hush.Cli.Commands;

/// <summary><c>hush denoise INPUT -o OUTPUT</c>: trains on the one image and writes it denoised.</summary>
internal static class DenoiseCommand
{
    public static Command Create()
    {
        var input = CommonOptions.Input("Noisy image (PNG, PGM, PPM)");
        var output = CommonOptions.Output();
        var method = new Option<string>("--method", "-m")
        {
            Description = $"Method: {string.Join(", ", Denoiser.Methods)}",
            DefaultValueFactory = _ => "zs-n2n",
        };
        method.AcceptOnlyFromAmong(Denoiser.Methods.ToArray());
        var iterations = new Option<int>("--iterations", "-n")
        {
            Description = "Training iterations",
            DefaultValueFactory = _ => new DenoiseOptions().Iterations,
            Validators = { r => { if (r.GetValueOrDefault<int>() < 1) r.AddError("--iterations must be ≥ 1"); } },
        };
        var seed = CommonOptions.Seed();
        var threads = new Option<int>("--threads", "-t")
        {
            Description = "Worker threads (default: all cores)",
            Validators = { r => { if (r.GetValueOrDefault<int>() < 0) r.AddError("--threads must be ≥ 0"); } },
        };
        var bitDepth = CommonOptions.BitDepth("Output bits per sample (default: the input's, 8 or 16)");
        var overwrite = CommonOptions.Overwrite();
        var json = CommonOptions.Json();
        var quiet = CommonOptions.Quiet();

        var command = new Command("denoise", "Denoise one image by training a small network on it alone")
        {
            input, output, method, iterations, seed, threads, bitDepth, overwrite, json, quiet,
        };
        command.SetAction((parse, cancel) => Task.FromResult(CommandRunner.Run(() =>
        {
            string inPath = parse.GetValue(input)!, outPath = parse.GetValue(output)!;
            OutputPaths.Check(outPath, parse.GetValue(overwrite), inPath);
            var image = ImageFile.Read(inPath);
            var options = new DenoiseOptions
            {
                Method = parse.GetValue(method)!,
                Iterations = parse.GetValue(iterations),
                Seed = parse.GetValue(seed),
                Threads = parse.GetValue(threads),
            };
            var denoiser = new Denoiser(options);
            bool show = ProgressDisplay.ShouldShow(parse.GetValue(quiet));
            var result = ProgressDisplay.Run(show, Path.GetFileName(inPath), options.Iterations,
                progress => Train(denoiser, image, progress, cancel));
            OutputPaths.Write(result.Output, outPath, parse.GetValue(bitDepth));
            Report(parse.GetValue(json), parse.GetValue(quiet), inPath, outPath, result);
            return ExitCodes.Success;
        }, Console.Error)));
        return command;
    }

    private static DenoiseResult Train(Denoiser denoiser, Image image,
        IProgress<Denoising.Training.TrainingProgress>? progress, CancellationToken cancel)
    {
        try
        {
            return denoiser.Denoise(image, progress, cancel);
        }
        catch (InvalidOperationException e)
        {
            throw new CommandFailedException(e.Message, e);
        }
    }

    private static void Report(bool json, bool quiet, string inPath, string outPath, DenoiseResult r)
    {
        if (json)
        {
            var record = new DenoiseReport(inPath, outPath, r.Method, r.Iterations, r.Seed.ToString(), r.Threads,
                Math.Round(r.Seconds, 3), r.FinalLoss, r.Output.Width, r.Output.Height, r.Output.Channels);
            Console.Out.WriteLine(JsonSerializer.Serialize(record, CliJson.Default.DenoiseReport));
        }
        else if (!quiet)
        {
            Console.Out.WriteLine(
                $"wrote {outPath} ({r.Method}, {r.Iterations} iterations, seed {r.Seed}, {r.Threads} thread{(r.Threads == 1 ? "" : "s")}) in {r.Seconds:0.0} s");
        }
    }
}

internal sealed record DenoiseReport(string Input, string Output, string Method, int Iterations, string Seed,
    int Threads, double Seconds, float FinalLoss, int Width, int Height, int Channels);
