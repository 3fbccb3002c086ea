using Hush.Denoising.Metrics;
using Hush.Denoising.Training;
using Xunit.Abstractions;

namespace Hush.Denoising.Tests.Contract;

/// <summary>What every registered method promises, tested over the registry: a new method is covered without new
/// test code. Each theory runs once per method (the count is logged by <see cref="TheRegistryListsEveryMethodOnce"/>).</summary>
public class MethodContractTests(ITestOutputHelper log)
{
    [Fact]
    public void TheRegistryListsEveryMethodOnce()
    {
        var names = MethodRegistry.Names;
        log.WriteLine($"method contract: {names.Count} registered methods ({string.Join(", ", names)})");
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.True(names.Count >= 5);
        foreach (var d in MethodRegistry.All)
        {
            Assert.Equal(d.Name, new DenoiseOptions { Method = d.Name }.Descriptor.Name);
            Assert.True(File.Exists(Path.Combine(Hush.Testing.SharedData.RepositoryRoot(), d.Documentation)), $"{d.Name}: {d.Documentation} is missing");
            Assert.All(d.Parameters, p => Assert.Equal(d.Name, p.Method));
            Assert.Equal(d.Parameters.Count, d.Parameters.Select(p => p.Name).Distinct().Count());
        }
    }

    [Theory]
    [MemberData(nameof(ContractRuns.Methods), MemberType = typeof(ContractRuns))]
    public void TheSameSeedAndThreadsGiveTheSameBitsAndAnotherSeedAnotherOutput(string method)
    {
        var options = ContractRuns.Probe(method);
        var a = new Denoiser(options).Denoise(ContractRuns.Noisy);
        var b = new Denoiser(options).Denoise(ContractRuns.Noisy);
        Assert.Equal(a.Output.Data, b.Output.Data);
        Assert.Equal(a.FinalLoss, b.FinalLoss);
        Assert.Equal(42UL, a.Seed);
        var otherSeed = ContractRuns.Run(options with { Seed = 43 });
        if (ContractRuns.IsClassical(method)) Assert.Equal(a.Output.Data, otherSeed); // nothing is drawn
        else Assert.NotEqual(a.Output.Data, otherSeed);
    }

    [Theory]
    [MemberData(nameof(ContractRuns.Methods), MemberType = typeof(ContractRuns))]
    public void CheckpointsNeverChangeTheFinalOutput(string method)
    {
        var options = ContractRuns.Probe(method);
        var seen = new List<DenoiseCheckpoint>();
        var plain = ContractRuns.Run(options);
        var with = ContractRuns.Run(options with { CheckpointEvery = 2, CheckpointPasses = 2, OnCheckpoint = seen.Add });
        Assert.Equal(plain, with);
        if (ContractRuns.IsClassical(method))
        {
            Assert.Empty(seen); // no training steps, no interim results
            return;
        }
        Assert.Equal(Enumerable.Range(1, (options.Iterations - 1) / 2).Select(k => 2 * k), seen.Select(c => c.Iteration));
        Assert.All(seen, c => Assert.Equal(ContractRuns.Noisy.Data.Length, c.Plane.Data.Length));
    }

    [Theory]
    [MemberData(nameof(ContractRuns.Methods), MemberType = typeof(ContractRuns))]
    public void CancellationStopsBetweenStepsAndReturnsNothing(string method)
    {
        var options = ContractRuns.Probe(method) with { Iterations = 50 };
        using var cancel = new CancellationTokenSource();
        var steps = new List<int>();
        var progress = new Inline(p =>
        {
            if (p.Phase != TrainingPhase.Training) return;
            steps.Add(p.Iteration);
            if (p.Iteration == 2) cancel.Cancel();
        });
        Assert.ThrowsAny<OperationCanceledException>(() => new Denoiser(options).Denoise(ContractRuns.Noisy, progress, cancel.Token));
        Assert.Equal(new[] { 1, 2 }, steps); // the step in progress finished; no further step started
    }

    [Theory]
    [MemberData(nameof(ContractRuns.Settings), MemberType = typeof(ContractRuns))]
    public void EverySettingChangesTheOutputAndItsInvalidValueIsRejected(string method, string name)
    {
        var parameter = ContractRuns.Parameter(method, name);
        Assert.True(parameter.Probe is not null, $"{method} {name}: no probe value, so nothing shows that it reaches the method");
        var baseline = ContractRuns.With(ContractRuns.Probe(method), parameter.ProbeWith);
        var probed = parameter.Apply(baseline, ContractRuns.Resolve(parameter.Probe));
        Assert.NotEqual(parameter.ValueIn(baseline), parameter.ValueIn(probed));
        Assert.NotEqual(ContractRuns.Run(baseline), ContractRuns.Run(probed));
        if (parameter.Invalid is string invalid)
            Assert.Throws<ArgumentException>(() => new Denoiser(parameter.Apply(baseline, invalid)));
    }

    /// <summary>Every public setting of a method's options record is some parameter's: set through its probe, it takes a
    /// value other than the default. A property no parameter reaches would be an option users cannot set or sweep.</summary>
    [Theory]
    [MemberData(nameof(ContractRuns.Methods), MemberType = typeof(ContractRuns))]
    public void EveryPropertyOfTheOptionsRecordIsAParameter(string method)
    {
        var d = MethodRegistry.Find(method);
        var type = d.DefaultOptions.GetType();
        var settable = type.GetProperties().Where(q => q.SetMethod is not null && q.DeclaringType == type).ToList();
        var reached = new HashSet<string>();
        var defaults = new DenoiseOptions { Method = method };
        foreach (var p in d.Parameters)
        {
            var probed = p.Apply(ContractRuns.With(defaults, p.ProbeWith), ContractRuns.Resolve(p.Probe!)).OptionsOf<MethodOptions>();
            reached.UnionWith(settable.Where(q => !Equals(q.GetValue(probed), q.GetValue(d.DefaultOptions))).Select(q => q.Name));
        }
        Assert.Empty(settable.Select(q => q.Name).Except(reached));
    }

    /// <summary>A method declares patches-and-tiles or a shared model exactly when it separates training from inference.</summary>
    [Theory]
    [MemberData(nameof(ContractRuns.Methods), MemberType = typeof(ContractRuns))]
    public void TheDeclaredCapabilitiesMatchTheImplementation(string method)
    {
        var d = MethodRegistry.Find(method);
        bool trainable = d.Create() is Methods.ITrainableMethod;
        Assert.Equal(trainable, d.Can(MethodCapabilities.PatchesAndTiles));
        Assert.Equal(trainable, d.Can(MethodCapabilities.SharedModel));
    }

    /// <summary>Options records are plain data: every setting survives JSON (a results file, a saved model's header).</summary>
    [Theory]
    [MemberData(nameof(ContractRuns.Methods), MemberType = typeof(ContractRuns))]
    public void TheOptionsRecordRoundTripsThroughJson(string method)
    {
        var d = MethodRegistry.Find(method);
        var options = d.Parameters.Aggregate(new DenoiseOptions { Method = method },
            (o, p) => p.Apply(ContractRuns.With(o, p.ProbeWith), ContractRuns.Resolve(p.Probe!))).OptionsOf<MethodOptions>();
        Assert.NotEqual(d.DefaultOptions, options);
        string json = System.Text.Json.JsonSerializer.Serialize(options, options.GetType());
        Assert.Equal(options, System.Text.Json.JsonSerializer.Deserialize(json, options.GetType()));
    }

    [Theory]
    [MemberData(nameof(ContractRuns.Methods), MemberType = typeof(ContractRuns))]
    public void AnotherMethodsSettingsAreRefused(string method)
    {
        foreach (var other in MethodRegistry.All.Where(o => o.Name != method && o.DefaultOptions.GetType() != MethodRegistry.Find(method).DefaultOptions.GetType()))
            Assert.Throws<ArgumentException>(() => new Denoiser(new DenoiseOptions { Method = method, MethodOptions = other.DefaultOptions }));
    }

    private sealed class Inline(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }

}
