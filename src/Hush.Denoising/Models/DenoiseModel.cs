using System.Globalization;
using Hush.Denoising.Models;
using System.Text.Json;
using Hush.Denoising.Methods;
using Hush.Engine;

namespace Hush.Denoising;

/// <summary>
/// A trained network saved for reuse: its parameters, the method and settings that trained it, the seed, and what
/// inference needs to know about its input (colour channel count; samples in [0, 1], made by the same rules as a
/// denoise run: integers scaled by their type's range, float planes outside [0, 1] by their own min/max). Made by a
/// denoise run of a method with <see cref="MethodCapabilities.ReusableModel"/> (<see cref="DenoiseResult.Model"/>),
/// applied by <see cref="Denoiser.Apply"/>, saved and loaded in a versioned file (format: docs/models.md).
/// <code>
/// var result = new Denoiser(new DenoiseOptions { Seed = 1 }).Denoise(image);
/// result.Model!.Save("zs.hushmodel");
/// var again = new Denoiser().Apply(DenoiseModel.Load("zs.hushmodel"), other);
/// </code>
/// Immutable: loading checks everything once, applying never changes the model, and one model may be applied from
/// several threads at once.
/// </summary>
public sealed class DenoiseModel
{
    /// <summary>The version of the file format this Hush writes and reads.</summary>
    public const uint FormatVersion = 1;

    /// <summary>What the model's input samples are, as the header records it.</summary>
    public const string ValueRange = "[0,1]: integers scaled by their type's range; float planes outside [0,1] by their own min/max";

    internal DenoiseModel(DenoiseOptions options, ulong seed, int channels, IReadOnlyList<ModelTensor> tensors, Models.TrainingState? training = null)
    {
        Options = options;
        Seed = seed;
        Channels = channels;
        Tensors = tensors;
        Training = training;
    }

    /// <summary>Why a denoise run with <paramref name="options"/> leaves no <see cref="DenoiseResult.Model"/>, in a
    /// few words; null when it leaves one (a single image of a method whose network is reusable, denoised as it is).</summary>
    public static string? WhyNone(DenoiseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var d = options.Descriptor;
        if (!d.Can(MethodCapabilities.ReusableModel)) return $"method {d.Name} leaves no reusable network ({d.NoReusableModel})";
        if (options.DecorrelationStride != 1 || options.VarianceStabilization != VarianceStabilization.Off)
            return "a network trained on shuffled or stabilized data does not apply to other images as they are; leave decorrelation and stabilization off (--decorrelate off, --stabilize off)";
        if (d.Create() is IEnsembleMethod ensemble && !ensemble.PredictsByPasses(options))
            return $"this {d.Name} setting outputs an average kept during training, not the network's passes";
        return null;
    }

    /// <summary>The method that trained the model (<see cref="DenoiseOptions.Method"/>).</summary>
    public string Method => Options.Method;

    /// <summary>The settings that trained it: method, iterations, learning rate, the method's own settings and the seed
    /// (run settings such as threads or the memory budget are not part of a model).</summary>
    public DenoiseOptions Options { get; }

    /// <summary>The seed its weights started from.</summary>
    public ulong Seed { get; }

    /// <summary>Colour channels per pixel the network takes (alpha is never an input).</summary>
    public int Channels { get; }

    /// <summary>Number of trained parameters (weights and biases).</summary>
    public long ParameterCount => Tensors.Sum(t => (long)t.Data.Length);

    internal IReadOnlyList<ModelTensor> Tensors { get; }

    /// <summary>The training state of a resumable checkpoint; null for a model saved for reuse.</summary>
    internal Models.TrainingState? Training { get; }

    /// <summary>A model of <paramref name="parameters"/>' current values (copied).</summary>
    internal static DenoiseModel Of(DenoiseOptions options, ulong seed, int channels, IEnumerable<Tensor> parameters,
        Models.TrainingState? training = null) =>
        new(Stripped(options, seed), seed, channels,
            parameters.Select((p, i) => new ModelTensor($"param.{i}", (int[])p.Shape.Clone(), (float[])p.Data.Clone())).ToArray(), training);

    /// <summary>Reads and checks a model file: magic, version, method, settings, channel count and every tensor's shape.</summary>
    /// <exception cref="InvalidDataException">One line naming the file and what is wrong.</exception>
    /// <exception cref="IOException">It cannot be read.</exception>
    public static DenoiseModel Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = File.OpenRead(path);
        return Load(stream, path);
    }

    /// <summary>Reads and checks a model from <paramref name="stream"/>; <paramref name="name"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">One line naming the stream and what is wrong.</exception>
    public static DenoiseModel Load(Stream stream, string name = "model")
    {
        var model = Models.ModelCodec.Read(stream, name);
        var descriptor = MethodRegistry.Find(model.Method);
        if (!descriptor.Can(MethodCapabilities.ReusableModel))
            throw new InvalidDataException($"{name}: method {model.Method} makes no reusable model");
        var expected = model.CreateNetwork().Parameters;
        if (expected.Count != model.Tensors.Count)
            throw new InvalidDataException($"{name}: {model.Tensors.Count} tensors, but a {model.Method} network with {model.Channels} channels has {expected.Count}");
        for (int i = 0; i < expected.Count; i++)
            if (!expected[i].Shape.AsSpan().SequenceEqual(model.Tensors[i].Shape))
                throw new InvalidDataException($"{name}: tensor {model.Tensors[i].Name} has shape [{string.Join(",", model.Tensors[i].Shape)}], " +
                                               $"a {model.Method} network with {model.Channels} channels needs [{string.Join(",", expected[i].Shape)}]");
        return model;
    }

    /// <summary>Writes the model to <paramref name="path"/> atomically: a temporary file beside it, renamed over it
    /// once complete, so the path holds either the old file or the whole new one.</summary>
    /// <exception cref="IOException">It cannot be written (the old file, if any, is left as it was).</exception>
    public void Save(string path) => AtomicFile.Write(path, Save);

    /// <summary>Writes the model to <paramref name="stream"/>.</summary>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Models.ModelCodec.Write(this, stream);
    }

    /// <summary>The method's network with this model's weights.</summary>
    internal ITrainedModel CreateNetwork()
    {
        ITrainedModel network = Options.Descriptor.Create() switch
        {
            ITrainableMethod method => method.CreateModel(Channels),
            IEnsembleMethod method => method.CreateModel(Channels, Options, Seed),
            _ => throw new InvalidOperationException($"method {Method} has no separate network"),
        };
        for (int i = 0; i < Math.Min(network.Parameters.Count, Tensors.Count); i++)
            if (network.Parameters[i].Length == Tensors[i].Data.Length) Tensors[i].Data.CopyTo(network.Parameters[i].Data, 0);
        return network;
    }

    /// <summary>The settings that make a model: the method's and the common training ones, without run settings.</summary>
    internal static DenoiseOptions Stripped(DenoiseOptions options, ulong seed) =>
        MethodRegistry.WithSettings(new DenoiseOptions { Method = options.Method }, Settings(options)) with { Seed = seed };

    /// <summary>The settings whose values differ from the method's defaults, as canonical text (seed apart).</summary>
    internal static SortedDictionary<string, string> Settings(DenoiseOptions options)
    {
        var defaults = new DenoiseOptions { Method = options.Method };
        var settings = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in MethodRegistry.ParametersOf(options).Where(p => p.Name != "seed"))
            if (p.ValueIn(options) is var value && value != p.ValueIn(defaults))
                settings[p.Name] = value;
        return settings;
    }

    /// <summary>The seed as the header writes it.</summary>
    internal string SeedText => Seed.ToString(CultureInfo.InvariantCulture);
}

/// <summary>One named tensor of a model.</summary>
internal sealed record ModelTensor(string Name, int[] Shape, float[] Data);
