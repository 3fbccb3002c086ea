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
            Description = $"Method: {string.Join(", ", Denoiser.Methods)} (self2self-plus runs without its IQA (PaQ-2-PiQ) loss term: off, not implemented)",
            DefaultValueFactory = _ => "zs-n2n",
        };
        method.AcceptOnlyFromAmong(Denoiser.Methods.ToArray());
        var iterations = new Option<int?>("--iterations", "-n")
        {
            Description = "Training iterations (default per method: zs-n2n, lota-n2n and self2self 3000, self2self-plus 4000)",
            Validators = { r => { if (r.GetValueOrDefault<int?>() is < 1) r.AddError("--iterations must be ≥ 1"); } },
        };
        var seed = CommonOptions.Seed();
        var threads = new Option<int>("--threads", "-t")
        {
            Description = "Worker threads (default: all cores)",
            Validators = { r => { if (r.GetValueOrDefault<int>() < 0) r.AddError("--threads must be ≥ 0"); } },
        };
        var lotaDefaults = new LotaOptions();
        var fineTune = new Option<int>("--fine-tune-iterations")
        {
            Description = $"lota-n2n: stage-2 steps, out of --iterations (default {lotaDefaults.FineTuneIterations})",
            DefaultValueFactory = _ => lotaDefaults.FineTuneIterations,
        };
        var traceWeight = new Option<float>("--trace-weight")
        {
            Description = $"lota-n2n: weight λ of the trace term (default {lotaDefaults.TraceWeight})",
            DefaultValueFactory = _ => lotaDefaults.TraceWeight,
        };
        var tracePatch = new Option<int>("--trace-patch")
        {
            Description = "lota-n2n: patch side for the patch-wise trace term; 0 = one global term (default 0)",
            DefaultValueFactory = _ => lotaDefaults.PatchSize,
        };
        var fineTuneLr = new Option<float>("--fine-tune-lr")
        {
            Description = $"lota-n2n: stage-2 learning rate (default {lotaDefaults.FineTuneLearningRate})",
            DefaultValueFactory = _ => lotaDefaults.FineTuneLearningRate,
        };
        var (maskP, dropout, passes) = SelfToSelfCliOptions.Create();
        var bitDepth = CommonOptions.BitDepth("Output bits per sample (default: the input's, 8 or 16)");
        var overwrite = CommonOptions.Overwrite();
        var json = CommonOptions.Json();
        var quiet = CommonOptions.Quiet();

        var command = new Command("denoise", "Denoise one image by training a small network on it alone")
        {
            input, output, method, iterations, seed, threads, fineTune, traceWeight, tracePatch, fineTuneLr, maskP, dropout, passes, bitDepth, overwrite, json, quiet,
        };
        command.SetAction((parse, cancel) => Task.FromResult(CommandRunner.Run(() =>
        {
            string inPath = parse.GetValue(input)!, outPath = parse.GetValue(output)!;
            OutputPaths.Check(outPath, parse.GetValue(overwrite), inPath);
            var image = ImageFile.Read(inPath);
            string methodName = parse.GetValue(method)!;
            var options = new DenoiseOptions
            {
                Method = methodName,
                Iterations = parse.GetValue(iterations) ?? DenoiseOptions.DefaultIterations(methodName),
                Seed = parse.GetValue(seed),
                Threads = parse.GetValue(threads),
                Lota = new LotaOptions
                {
                    FineTuneIterations = parse.GetValue(fineTune),
                    TraceWeight = parse.GetValue(traceWeight),
                    PatchSize = parse.GetValue(tracePatch),
                    FineTuneLearningRate = parse.GetValue(fineTuneLr),
                },
                SelfToSelf = new SelfToSelfOptions
                {
                    MaskProbability = parse.GetValue(maskP), DropoutRate = parse.GetValue(dropout), Passes = parse.GetValue(passes),
                },
            };
            var denoiser = CreateDenoiser(options);
            bool show = ProgressDisplay.ShouldShow(parse.GetValue(quiet));
            var result = ProgressDisplay.Run(show, Path.GetFileName(inPath), options.Iterations,
                progress => Train(denoiser, image, progress, cancel));
            OutputPaths.Write(result.Output, outPath, parse.GetValue(bitDepth));
            Report(parse.GetValue(json), parse.GetValue(quiet), inPath, outPath, result);
            return ExitCodes.Success;
        }, Console.Error)));
        return command;
    }

    private static Denoiser CreateDenoiser(DenoiseOptions options)
    {
        try
        {
            return new Denoiser(options);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
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
