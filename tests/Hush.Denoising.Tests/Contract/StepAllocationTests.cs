using Hush.Denoising.Training;

namespace Hush.Denoising.Tests.Contract;

/// <summary>After warm-up, a trained method's training steps and ensemble passes allocate nothing on the managed heap
/// (the thread that trains: it runs part 0 of every parallel region and the graph bookkeeping), so a long run costs
/// the collector nothing. Counted between progress reports, which arrive on that thread, on the contract crop (32×32:
/// its full-resolution layers take the Winograd path, the smaller ones the direct kernels).</summary>
public class StepAllocationTests
{
    // The methods whose steps are known to allocate nothing yet; noise2self, noise2fast and dip still allocate per step.
    private static readonly string[] Covered = ["zs-n2n", "lota-n2n", "self2self", "self2self-plus", "blind2grad"];

    public static IEnumerable<object[]> Trained =>
        MethodRegistry.All.Where(d => !d.Can(MethodCapabilities.Classical) && Covered.Contains(d.Name)).Select(d => new object[] { d.Name });

    [Theory]
    [MemberData(nameof(Trained))]
    public void StepsAndPassesAllocateNothingAfterWarmUp(string method)
    {
        var recorder = new Recorder();
        var options = new DenoiseOptions { Method = method, Seed = 3, Threads = 2, Iterations = 30 };
        if (method == "lota-n2n") options = MethodRegistry.WithSettings(options, new Dictionary<string, string> { ["fine-tune"] = "10" });
        if (MethodRegistry.Find(method).Parameters.Any(p => p.Name == "passes")) options = MethodRegistry.WithSettings(options, new Dictionary<string, string> { ["passes"] = "8" });
        new Denoiser(options).Denoise(ContractRuns.Noisy, recorder);
        Assert.True(recorder.Training.Count >= 12, $"{method}: {recorder.Training.Count} steps reported");
        AssertSteadyStateAllocatesNothing(recorder.Training, from: 6, method, "steps");
        if (recorder.Passes.Count > 0) AssertSteadyStateAllocatesNothing(recorder.Passes, from: 3, method, "passes");
    }

    // Bytes allocated by each step after warm-up must be 0 for all but at most two of them. A step that allocates
    // anything (a closure, a wrapper, an array) does so every time and fails; the two allow for a one-off growth of a
    // pool when the threads split a part differently under load (the calling thread meeting a chunk size it had not run
    // before rents its own buffer for it once).
    private static void AssertSteadyStateAllocatesNothing(List<long> bytes, int from, string method, string what)
    {
        var deltas = bytes.Zip(bytes.Skip(1), (a, b) => b - a).Skip(from).ToList();
        Assert.True(deltas.Count(d => d != 0) <= 2, $"{method} {what} after warm-up allocated: {string.Join(" ", deltas)} bytes");
    }

    private sealed class Recorder : IProgress<TrainingProgress>
    {
        public List<long> Training { get; } = new(64);
        public List<long> Passes { get; } = new(64);

        public void Report(TrainingProgress p)
        {
            long now = GC.GetAllocatedBytesForCurrentThread();
            if (p.Phase == TrainingPhase.Training) Training.Add(now);
            else if (p.Phase == TrainingPhase.Ensemble) Passes.Add(now);
        }
    }
}
