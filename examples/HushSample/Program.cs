// Denoise one image with the Hush library: read it, train a small network on it alone, write the result.
//   dotnet run --project examples/HushSample -c Release -- samples/kodim03-crop-g25.png denoised.png 300
using Hush.Denoising;
using Hush.Denoising.Training;
using Hush.Imaging;

if (args.Length is < 2 or > 3)
{
    Console.Error.WriteLine("usage: HushSample INPUT OUTPUT [ITERATIONS]");
    return 2;
}
int iterations = args.Length == 3 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 300;

Image noisy = ImageFile.Read(args[0]); // PNG, PGM/PPM, TIFF or NPY
var denoiser = new Denoiser(new DenoiseOptions { Method = "zs-n2n", Iterations = iterations, Seed = 1 });
DenoiseResult result = denoiser.Denoise(noisy, new EveryHundredSteps());
ImageFile.Write(result.Output, args[1]); // written atomically: a temporary file, then renamed
Console.WriteLine($"wrote {args[1]}: {result.Method}, {result.Iterations} iterations, seed {result.Seed}, {result.Seconds:0.0} s");
return 0;

/// <summary>Reports on the training thread as it goes (Progress&lt;T&gt; would post to the thread pool, out of order).</summary>
sealed class EveryHundredSteps : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress p)
    {
        if (p.Iteration % 100 == 0) Console.WriteLine($"step {p.Iteration}/{p.TotalIterations}, loss {p.Loss:0.000000}");
    }
}
