using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using Hush.Denoising.Noise;
using Hush.Imaging;

namespace Hush.Cli.Commands;

/// <summary><c>hush noise INPUT -o OUTPUT --gaussian σ | --poisson λ</c>: makes a noisy test input.</summary>
internal static class NoiseCommand
{
    public static Command Create()
    {
        var input = CommonOptions.Input("Clean image");
        var output = CommonOptions.Output();
        var gaussian = new Option<double?>("--gaussian") { Description = "Additive Gaussian noise, σ on the 0–255 scale; result clipped to [0,1]" };
        var poisson = new Option<double?>("--poisson") { Description = "Poisson noise with peak λ: y = Poisson(λx)/λ, clipped to [0,1]" };
        var seed = CommonOptions.Seed();
        var bitDepth = CommonOptions.BitDepth("Output bits per sample (default 16, so the noise is not re-quantised)");
        var overwrite = CommonOptions.Overwrite();
        var json = CommonOptions.Json();
        var quiet = CommonOptions.Quiet();
        var command = new Command("noise", "Add seeded synthetic noise to a clean image")
        {
            input, output, gaussian, poisson, seed, bitDepth, overwrite, json, quiet,
        };
        command.Validators.Add(r =>
        {
            bool g = r.GetValue(gaussian) is not null, p = r.GetValue(poisson) is not null;
            if (g == p) r.AddError("give exactly one of --gaussian SIGMA or --poisson LAMBDA");
            else if (g && !(r.GetValue(gaussian) >= 0)) r.AddError("--gaussian must be ≥ 0");
            else if (p && !(r.GetValue(poisson) > 0)) r.AddError("--poisson must be > 0");
        });
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            string inPath = parse.GetValue(input)!, outPath = parse.GetValue(output)!;
            OutputPaths.Check(outPath, parse.GetValue(overwrite), inPath);
            var clean = ImageFile.Read(inPath, InputLimits.For(0));
            ulong s = parse.GetValue(seed) ?? BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
            double? sigma = parse.GetValue(gaussian);
            var noisy = sigma is double sg
                ? NoiseSynthesis.AddGaussian(clean, sg, s)
                : NoiseSynthesis.AddPoisson(clean, parse.GetValue(poisson)!.Value, s);
            bool eightBitOnly = Formats.OutputFormats.IsEightBitOnly(Formats.OutputFormats.ExtensionOf(outPath));
            if (eightBitOnly && parse.GetValue(bitDepth) is 16)
                throw new UsageException($"{outPath}: {Path.GetExtension(outPath)} holds 8 bits a sample only (pass --bit-depth 8 or write .png/.tif)");
            int depth = parse.GetValue(bitDepth) ?? (eightBitOnly ? 8 : 16);
            OutputPaths.Write(noisy, outPath, depth);
            string kind = sigma is not null ? "gaussian" : "poisson";
            double level = sigma ?? parse.GetValue(poisson)!.Value;
            if (parse.GetValue(json))
                Console.Out.WriteLine(JsonSerializer.Serialize(
                    new NoiseReport(inPath, outPath, kind, level, s.ToString(), depth), CliJson.Default.NoiseReport));
            else if (!parse.GetValue(quiet))
                Console.Out.WriteLine($"wrote {outPath} ({kind} {level}, seed {s}, {depth}-bit)");
            return ExitCodes.Success;
        }, Console.Error));
        return command;
    }
}

internal sealed record NoiseReport(string Input, string Output, string Noise, double Level, string Seed, int BitDepth);
