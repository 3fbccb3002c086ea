using Hush.Cli.Commands;
using Hush.Denoising;
using Hush.Denoising.Training;
using Hush.Imaging;
using Hush.Testing;
using static Hush.Cli.Tests.CliHarness;

namespace Hush.Cli.Tests;

/// <summary>Cancellation over the registry, as a user meets it: Ctrl+C between two training steps of any method stops
/// the run and leaves the folder as it was (no output, no temporary file).</summary>
public class MethodCancelTests
{
    public static IEnumerable<object[]> Methods => MethodRegistry.Names.Select(n => new object[] { n });

    [Theory]
    [MemberData(nameof(Methods))]
    public void CancellingBetweenStepsWritesNothing(string method)
    {
        using var dir = new TempFolder();
        string input = dir.File("in.png"), output = dir.File("out.png");
        ImageFile.Write(ImageFile.Read(SharedData.PathOf("data", "Kodak24", "kodim03.png")).Crop(112, 112, 32, 32), input);
        var options = MethodRegistry.WithSettings(new DenoiseOptions { Method = method, Seed = 1, Threads = 1 },
            MethodRegistry.Find(method).ProbeRun) with { Iterations = 50 };

        using var cancel = new CancellationTokenSource();
        var steps = new List<int>();
        var observer = new Observer(p =>
        {
            if (p.Phase != TrainingPhase.Training) return;
            steps.Add(p.Iteration);
            if (p.Iteration == 2) cancel.Cancel();
        });
        var job = new DenoiseJob(new Denoiser(options), new DenoiseSettings(options, null, null, false, observer));
        Assert.ThrowsAny<OperationCanceledException>(() => job.Run(input, output, cancel.Token));
        Assert.Equal(new[] { 1, 2 }, steps);
        Assert.Equal(new[] { "in.png" }, Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    private sealed class Observer(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
