using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Hush.Denoising.Models;
using Hush.Engine;
using Hush.Engine.Optim;
using Hush.Imaging;

namespace Hush.Denoising.Training;

/// <summary>
/// A run's resumable checkpoint (<see cref="DenoiseOptions.CheckpointFile"/>): at every checkpoint it writes the
/// whole training state (a model file with a training section) atomically; at the start it reads the state a stopped
/// run left, after checking that it was made by the same run (method, settings, seed, input, threads), and
/// <see cref="TrainingLoop"/> (or a method's own loop) restores it and carries on from the next step. The random streams
/// a run draws from are registered with <see cref="Track"/> in a fixed order, before training starts; what else a method
/// keeps from step to step (a best-so-far network, an average of outputs, frozen proxies) with <see cref="Carry"/>.
/// </summary>
internal sealed class TrainingResume
{
    private readonly string _path;
    private readonly DenoiseOptions _options;
    private readonly string _digest;
    private readonly int _threads, _channels;
    private readonly List<Rng> _streams = [];
    private readonly List<Action<MethodState>> _carried = [];
    private readonly DenoiseModel? _found;
    private bool _restored;

    private TrainingResume(string path, DenoiseOptions options, string digest, int threads, int channels, DenoiseModel? found)
    {
        (_path, _options, _digest, _threads, _channels, _found) = (path, options, digest, threads, channels, found);
    }

    /// <summary>The seed of the stopped run (null when starting afresh).</summary>
    public ulong? Seed => _found?.Seed;

    /// <summary>Training steps the stopped run had done (0 when starting afresh).</summary>
    public int StartStep => _found?.Training?.Step ?? 0;

    /// <summary>Null without a checkpoint file; else the file's state if there is one.</summary>
    /// <exception cref="InvalidDataException">The file is corrupt, or was made by another run (one line naming the file and what differs).</exception>
    public static TrainingResume? Open(DenoiseOptions options, Image noisy, int threads)
    {
        if (options.CheckpointFile is not string path) return null;
        string digest = Digest(noisy);
        if (!File.Exists(path)) return new TrainingResume(path, options, digest, threads, noisy.Channels, null);
        DenoiseModel found;
        using (var stream = File.OpenRead(path)) found = ModelCodec.Read(stream, path);
        var state = found.Training ?? throw new InvalidDataException($"{path}: a saved model, not a checkpoint (no training state)");
        string? differs =
            found.Method != options.Method ? $"method {found.Method}, this run {options.Method}" :
            !DenoiseModel.Settings(found.Options).SequenceEqual(DenoiseModel.Settings(options)) ? "other settings" :
            options.Seed is ulong seed && seed != found.Seed ? $"seed {found.Seed}, this run {seed}" :
            found.Channels != noisy.Channels || state.InputDigest != digest ? "another input image" :
            state.Threads != threads ? $"{state.Threads} threads, this run {threads} (the same bits need the same thread count)" :
            state.Step >= options.Iterations ? $"step {state.Step} of {options.Iterations}" : null;
        if (differs is not null)
            throw new InvalidDataException($"{path}: checkpoint of another run ({differs}); delete it to start afresh");
        return new TrainingResume(path, options, digest, threads, noisy.Channels, found);
    }

    /// <summary>The side of the random training patches this run's memory plan chose (0: whole-image steps).</summary>
    private int _patch;

    /// <summary>Records the run's training plan, refusing a checkpoint made under another one.</summary>
    /// <exception cref="InvalidDataException">The stopped run trained on whole images and this one would on patches, or the reverse.</exception>
    public void UsePlan(int? patch)
    {
        _patch = patch ?? 0;
        if (_found?.Training is { } state && state.Patch != _patch)
            throw new InvalidDataException($"{_path}: checkpoint of another run (trained on {Plan(state.Patch)}, this run on {Plan(_patch)}: " +
                                           "give the memory budget and patch size it had)");
    }

    private static string Plan(int patch) => patch == 0 ? "whole images" : $"{patch}-pixel patches";

    /// <summary>Registers a random stream whose state the checkpoint carries (call in the same order every run).</summary>
    public void Track(Rng rng) => _streams.Add(rng);

    /// <summary>True when step <paramref name="step"/> of <paramref name="total"/> ends with a checkpoint.</summary>
    public bool Due(int step, int total) => _options.CheckpointEvery > 0 && step % _options.CheckpointEvery == 0 && step < total;

    /// <summary>Registers state the method keeps from step to step besides the weights, optimiser and streams:
    /// <paramref name="save"/> puts it at every checkpoint (under names unique in the run); when the stopped run had gone
    /// past step <paramref name="after"/> (the state existed then), <paramref name="restore"/> reads it back at once.
    /// Register before training (or the stage the state belongs to) starts, and before <see cref="Restore"/>.</summary>
    /// <exception cref="InvalidDataException">The checkpoint lacks an entry the method reads (one line naming the file).</exception>
    public void Carry(Action<MethodState> save, Action<MethodState> restore, int after = 0)
    {
        _carried.Add(save);
        if (_found?.Training is { } state && state.Step > after) restore(state.State);
    }

    /// <summary>Puts the stopped run's weights, optimiser, schedule and streams back into the training stage that runs
    /// steps <paramref name="done"/>+1 … <paramref name="done"/>+<paramref name="iterations"/>, and returns how many of
    /// them the stopped run had done: 0 without a checkpoint (or once an earlier stage has restored it), all of them
    /// when it stopped in a later stage (this one is skipped untouched; the later stage restores). A method without an
    /// optimiser or schedule of its own passes null (its state is carried).</summary>
    public int Restore(Tensor[] parameters, Adam? adam, StepLR? schedule, int done, int iterations)
    {
        if (_found?.Training is not { } state || _restored) return 0;
        if (state.Step > done + iterations) return iterations;
        if (state.Step <= done) throw new InvalidOperationException("a stage before this one should have restored the checkpoint");
        if (_found.Tensors.Count != parameters.Length || _found.Tensors.Zip(parameters).Any(p => !p.First.Shape.AsSpan().SequenceEqual(p.Second.Shape)))
            throw new InvalidDataException($"{_path}: its tensors do not match the {_options.Method} network");
        if (state.Streams.Count != _streams.Count)
            throw new InvalidDataException($"{_path}: {state.Streams.Count} random streams, the run has {_streams.Count}");
        try
        {
            adam?.LoadState(state.Adam);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{_path}: {e.Message}");
        }
        for (int i = 0; i < parameters.Length; i++) _found.Tensors[i].Data.CopyTo(parameters[i].Data, 0);
        for (int i = 0; i < _streams.Count; i++) _streams[i].SetState(state.Streams[i]);
        int steps = state.Step - done;
        for (int e = 0; e < steps; e++) schedule?.Step(); // the learning rate after that many steps of the stage
        _restored = true;
        return steps;
    }

    /// <summary>Writes the state after step <paramref name="step"/> atomically over the previous checkpoint: the weights,
    /// the optimiser of the stage that step is in (null: none of its own), the streams and every carried state.</summary>
    public void Save(int step, IReadOnlyList<Tensor> parameters, Adam? adam, ulong seed)
    {
        var carried = new MethodState();
        foreach (var save in _carried) save(carried);
        var state = new TrainingState(step, adam?.SaveState() ?? new AdamState(0, [], []), _streams.Select(s => s.GetState()).ToArray(),
            _digest, _threads, _patch, carried);
        DenoiseModel.Of(_options, seed, _channels, parameters, state).Save(_path);
    }

    /// <summary>The run finished: its result supersedes the checkpoint.</summary>
    public void Finish() => File.Delete(_path);

    private static string Digest(Image image)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(BitConverter.GetBytes(image.Width));
        sha.AppendData(BitConverter.GetBytes(image.Height));
        sha.AppendData(BitConverter.GetBytes(image.Channels));
        sha.AppendData(MemoryMarshal.AsBytes(image.Data.AsSpan(0, image.Channels * image.Width * image.Height)));
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
