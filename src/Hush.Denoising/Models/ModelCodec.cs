using System.Globalization;
using System.Text.Json;
using Hush.Denoising.Methods;
using Hush.Engine.Optim;

namespace Hush.Denoising.Models;

/// <summary>A <see cref="DenoiseModel"/> to and from <see cref="ModelFile"/>'s bytes: the header's fields, and the
/// tensors (the network's <c>param.K</c>, then for a checkpoint the optimiser's <c>adam.m.K</c> and <c>adam.v.K</c> and the
/// method's own arrays <c>state.NAME</c>).</summary>
internal static class ModelCodec
{
    public static void Write(DenoiseModel model, Stream stream)
    {
        var tensors = new List<ModelTensor>(model.Tensors);
        if (model.Training is { } t)
            for (int k = 0; k < t.Adam.FirstMoments.Count; k++)
            {
                tensors.Add(new ModelTensor($"adam.m.{k}", [t.Adam.FirstMoments[k].Length], t.Adam.FirstMoments[k]));
                tensors.Add(new ModelTensor($"adam.v.{k}", [t.Adam.SecondMoments[k].Length], t.Adam.SecondMoments[k]));
            }
        if (model.Training is { } carried)
            foreach (var (name, values) in carried.State.Arrays)
                tensors.Add(new ModelTensor(StatePrefix + name, [values.Length], values));

        ModelFile.Write(stream, w =>
        {
            w.WriteString("method", model.Method);
            w.WriteStartObject("settings");
            foreach (var (name, value) in DenoiseModel.Settings(model.Options)) w.WriteString(name, value);
            w.WriteEndObject();
            w.WriteString("seed", model.SeedText);
            w.WriteNumber("channels", model.Channels);
            w.WriteString("valueRange", DenoiseModel.ValueRange);
            if (model.Training is { } state)
            {
                w.WriteStartObject("training");
                w.WriteNumber("step", state.Step);
                w.WriteNumber("optimiserSteps", state.Adam.StepCount);
                w.WriteStartArray("streams");
                foreach (var words in state.Streams)
                    w.WriteStringValue(string.Join(" ", words.Select(x => x.ToString("x16", CultureInfo.InvariantCulture))));
                w.WriteEndArray();
                w.WriteString("input", state.InputDigest);
                w.WriteNumber("threads", state.Threads);
                w.WriteNumber("patch", state.Patch);
                w.WriteStartObject("state");
                foreach (var (name, value) in state.State.Numbers) w.WriteString(name, MethodState.Text(value));
                w.WriteEndObject();
                w.WriteEndObject();
            }
        }, tensors);
    }

    /// <exception cref="InvalidDataException">One line naming <paramref name="name"/>.</exception>
    public static DenoiseModel Read(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var (header, tensors) = ModelFile.Read(stream, name);
        string method = ModelFile.Field(header, "method", JsonValueKind.String, name).GetString()!;
        if (MethodRegistry.TryFind(method) is null)
            throw new InvalidDataException($"{name}: unknown method '{method}' (known: {string.Join(", ", MethodRegistry.Names)})");
        var settings = ModelFile.Field(header, "settings", JsonValueKind.Object, name).EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()!
                : throw new InvalidDataException($"{name}: setting {p.Name} is not text"));
        if (!ulong.TryParse(ModelFile.Field(header, "seed", JsonValueKind.String, name).GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out ulong seed))
            throw new InvalidDataException($"{name}: the seed is not a number");
        if (!ModelFile.Field(header, "channels", JsonValueKind.Number, name).TryGetInt32(out int channels) || channels is < 1 or > 64)
            throw new InvalidDataException($"{name}: bad channel count");
        DenoiseOptions options;
        try
        {
            options = MethodRegistry.WithSettings(new DenoiseOptions { Method = method }, settings) with { Seed = seed };
            options.Validate();
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            throw new InvalidDataException($"{name}: invalid settings: {e.Message}");
        }

        var parameters = tensors.Where(t => t.Name.StartsWith("param.", StringComparison.Ordinal)).ToArray();
        TrainingState? training = null;
        if (header.TryGetProperty("training", out var t))
            training = ReadTraining(t, tensors, name);
        else if (parameters.Length != tensors.Count)
            throw new InvalidDataException($"{name}: optimiser tensors in a model without a training section");
        return new DenoiseModel(options, seed, channels, parameters, training);
    }

    private static TrainingState ReadTraining(JsonElement t, List<ModelTensor> tensors, string name)
    {
        int Int(string key) => ModelFile.Field(t, key, JsonValueKind.Number, name).TryGetInt32(out int v) && v >= 0 ? v
            : throw new InvalidDataException($"{name}: bad training '{key}'");
        var streams = ModelFile.Field(t, "streams", JsonValueKind.Array, name).EnumerateArray().Select(s =>
        {
            var words = (s.GetString() ?? "").Split(' ');
            return words.Length == 4 && words.All(x => ulong.TryParse(x, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out _))
                ? words.Select(x => ulong.Parse(x, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray()
                : throw new InvalidDataException($"{name}: bad random stream state '{s}'");
        }).ToArray();
        var m = tensors.Where(x => x.Name.StartsWith("adam.m.", StringComparison.Ordinal)).Select(x => x.Data).ToArray();
        var v = tensors.Where(x => x.Name.StartsWith("adam.v.", StringComparison.Ordinal)).Select(x => x.Data).ToArray();
        string input = ModelFile.Field(t, "input", JsonValueKind.String, name).GetString()!;
        return new TrainingState(Int("step"), new AdamState(Int("optimiserSteps"), m, v), streams, input, Int("threads"), Int("patch"),
            ReadState(t, tensors, name));
    }

    /// <summary>The method's own state: the <c>state.NAME</c> tensors and the numbers of the training section's
    /// <c>state</c> object (absent from checkpoints of methods that carry none).</summary>
    private static MethodState ReadState(JsonElement t, List<ModelTensor> tensors, string name)
    {
        var state = new MethodState(name);
        try
        {
            foreach (var tensor in tensors.Where(x => x.Name.StartsWith(StatePrefix, StringComparison.Ordinal)))
                state.Put(tensor.Name[StatePrefix.Length..], tensor.Data);
            if (!t.TryGetProperty("state", out var numbers)) return state;
            if (numbers.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{name}: header has no valid 'state'");
            foreach (var p in numbers.EnumerateObject())
                state.Put(p.Name, p.Value.ValueKind == JsonValueKind.String && MethodState.TryParse(p.Value.GetString(), out double value) ? value
                    : throw new InvalidDataException($"{name}: state '{p.Name}' is not a number"));
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{name}: {e.Message}"); // a name twice
        }
        return state;
    }

    private const string StatePrefix = "state.";
}
