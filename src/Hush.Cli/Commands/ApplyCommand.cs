using System.CommandLine;
using System.Text.Json;
using Hush.Cli.Batch;
using Hush.Denoising;

namespace Hush.Cli.Commands;

/// <summary><c>hush apply MODEL INPUT... -o OUTPUT</c>: denoises images with a saved model (<c>hush denoise
/// --save-model</c>) without training. Everything after loading the model is <c>hush denoise</c>'s: the same job (read
/// any format or stack, check the output format first, write atomically), batches, output rules and tiling.</summary>
internal static class ApplyCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("MODEL") { Description = "A model file written by 'hush denoise --save-model'" };
        var inputs = new Argument<string[]>("INPUT")
        {
            Description = "Noisy image or stack; several files, folders or quoted patterns make a batch",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<string>("--output", "-o")
        {
            Description = "Output file (.png, .pgm, .ppm, .pnm, .tif, .npy); for a batch, the output folder",
            Required = true,
        };
        var threads = new Option<int>("--threads", "-t")
        {
            Description = "Worker threads (default: all cores)",
            Validators = { r => { if (r.GetValueOrDefault<int>() < 0) r.AddError("--threads must be ≥ 0"); } },
        };
        var budget = new Option<string?>("--memory-budget")
        {
            Description = "Approximate memory to stay within, e.g. 2G (default: half the memory available); bigger images run tiled",
            Validators = { r => { if (r.GetValueOrDefault<string?>() is string s && !MemorySize.TryParse(s, out _)) r.AddError($"--memory-budget must be a size such as 2G or 512M, got '{s}'"); } },
        };
        var axes = CommonOptions.Axes();
        var bitDepth = CommonOptions.BitDepth("Output bits per sample for single images (default: the input's sample type)");
        var overwrite = CommonOptions.Overwrite();
        var json = CommonOptions.Json();
        var quiet = CommonOptions.Quiet();

        var command = new Command("apply", "Denoise images with a saved model, without training") { model, inputs, output };
        foreach (Option o in new Option[] { threads, budget, axes, bitDepth, overwrite, json, quiet }) command.Options.Add(o);
        command.SetAction((parse, cancel) => Task.FromResult(CommandRunner.Run(() =>
        {
            string modelPath = parse.GetValue(model)!, outPath = parse.GetValue(output)!;
            string[] inPaths = parse.GetValue(inputs)!;
            var loaded = Load(modelPath);
            MemorySize.TryParse(parse.GetValue(budget), out long bytes); // validated; 0 when absent
            var options = new DenoiseOptions { Method = loaded.Method, Threads = parse.GetValue(threads), MemoryBudget = bytes };
            var settings = new DenoiseSettings(options, parse.GetValue(axes)?.ToUpperInvariant(), parse.GetValue(bitDepth),
                ProgressDisplay.ShouldShow(parse.GetValue(quiet)), Model: loaded);
            var job = new DenoiseJob(new Denoiser(options), settings);
            bool asJson = parse.GetValue(json), beQuiet = parse.GetValue(quiet);
            if (BatchInputs.IsBatch(inPaths))
            {
                var runner = new BatchRunner(outPath, Shard.Resolve(null, Environment.GetEnvironmentVariable),
                    parse.GetValue(overwrite), asJson, beQuiet, cancel);
                return runner.Run(BatchInputs.Expand(inPaths), (item, outFile) => Reported(job.Run(item.Input, outFile, cancel), asJson, beQuiet),
                    Console.Out, Console.Error);
            }
            OutputPaths.Check(outPath, parse.GetValue(overwrite), inPaths[0], modelPath);
            var report = Reported(job.Run(inPaths[0], outPath, cancel), asJson, beQuiet);
            if (asJson) Console.Out.WriteLine(JsonSerializer.Serialize(report, CliJson.Default.DenoiseReport));
            return ExitCodes.Success;
        }, Console.Error)));
        return command;
    }

    /// <summary>The model, or one line naming the file and the problem (exit code 5; 3 when it cannot be read at all).</summary>
    private static DenoiseModel Load(string path)
    {
        try
        {
            return DenoiseModel.Load(path);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidModelException(e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"{path}: cannot read: {e.Message}");
        }
    }

    private static DenoiseReport Reported(DenoiseReport r, bool json, bool quiet)
    {
        if (!json && !quiet)
            Console.Out.WriteLine($"wrote {r.Output} ({r.Method} model, seed {r.Seed}, {r.Threads} thread{(r.Threads == 1 ? "" : "s")}" +
                                  $"{(r.Planes > 1 ? $", {r.Planes} planes" : "")}) in {r.Seconds:0.000} s");
        return r;
    }
}
