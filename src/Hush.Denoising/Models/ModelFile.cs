using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Hush.Denoising.Models;

/// <summary>
/// The bytes of a Hush model file (<see cref="DenoiseModel"/>). Integers and floats are little-endian:
/// <code>
/// magic    8 bytes  "HUSHMODL"
/// version  uint32   <see cref="DenoiseModel.FormatVersion"/>
/// header   uint32 length, then UTF-8 JSON: method, settings, seed, channels, value range, the tensors' names and
///          shapes in order, and for a resumable checkpoint a "training" object (step, optimiser steps, random streams,
///          input digest, threads)
/// data     the tensors' float32 values, one after the other, in the header's order; nothing after the last
/// </code>
/// A reader checks every length against the file's size before it allocates, so a corrupt header cannot ask for
/// gigabytes. Every problem is one line naming the file.
/// </summary>
internal static class ModelFile
{
    public const string Magic = "HUSHMODL";
    private const int MaxHeaderBytes = 1 << 20;

    public static void Write(Stream stream, Action<Utf8JsonWriter> header, IReadOnlyList<ModelTensor> tensors)
    {
        var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            header(writer);
            writer.WriteStartArray("tensors");
            foreach (var t in tensors)
            {
                writer.WriteStartObject();
                writer.WriteString("name", t.Name);
                writer.WriteStartArray("shape");
                foreach (int d in t.Shape) writer.WriteNumberValue(d);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        Span<byte> word = stackalloc byte[4];
        stream.Write(Encoding.ASCII.GetBytes(Magic));
        BinaryPrimitives.WriteUInt32LittleEndian(word, DenoiseModel.FormatVersion);
        stream.Write(word);
        BinaryPrimitives.WriteUInt32LittleEndian(word, (uint)json.Length);
        stream.Write(word);
        stream.Write(json.GetBuffer().AsSpan(0, (int)json.Length));
        foreach (var t in tensors)
        {
            if (BitConverter.IsLittleEndian) stream.Write(MemoryMarshal.AsBytes(t.Data.AsSpan()));
            else foreach (float v in t.Data) { BinaryPrimitives.WriteSingleLittleEndian(word, v); stream.Write(word); }
        }
    }

    /// <summary>Reads the header (parsed as JSON; a bad one throws InvalidDataException) and the tensors.</summary>
    /// <exception cref="InvalidDataException">Not a model file, another version, or truncated/corrupt.</exception>
    public static (JsonElement Header, List<ModelTensor> Tensors) Read(Stream stream, string name)
    {
        var head = new byte[16];
        if (ReadFully(stream, head) < head.Length || Encoding.ASCII.GetString(head, 0, 8) != Magic)
            throw new InvalidDataException($"{name}: not a Hush model file (no {Magic} magic)");
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(8));
        if (version != DenoiseModel.FormatVersion)
            throw new InvalidDataException($"{name}: model format version {version}; this Hush reads version {DenoiseModel.FormatVersion}");
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(12));
        if (length is 0 or > MaxHeaderBytes)
            throw new InvalidDataException($"{name}: corrupt header length {length}");
        var json = new byte[length];
        if (ReadFully(stream, json) < json.Length) throw new InvalidDataException($"{name}: truncated in the header");
        JsonElement header;
        try
        {
            header = JsonDocument.Parse(json).RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{name}: corrupt header ({e.Message})");
        }

        var tensors = new List<ModelTensor>();
        long remaining = stream.CanSeek ? stream.Length - stream.Position : long.MaxValue;
        foreach (var t in Field(header, "tensors", JsonValueKind.Array, name).EnumerateArray())
        {
            string tensor = Field(t, "name", JsonValueKind.String, name).GetString()!;
            int[] shape = Field(t, "shape", JsonValueKind.Array, name).EnumerateArray().Select(d => d.TryGetInt32(out int v) && v > 0 ? v
                : throw new InvalidDataException($"{name}: tensor {tensor} has a bad dimension {d}")).ToArray();
            long count = shape.Aggregate(1L, (a, d) => a * d);
            if (shape.Length > 8 || count > Array.MaxLength)
                throw new InvalidDataException($"{name}: tensor {tensor} has a bad shape [{string.Join(",", shape)}]");
            if (count * 4 > remaining) throw new InvalidDataException($"{name}: truncated in tensor {tensor}");
            var data = new float[count];
            var bytes = MemoryMarshal.AsBytes(data.AsSpan());
            if (ReadFully(stream, bytes) < bytes.Length) throw new InvalidDataException($"{name}: truncated in tensor {tensor}");
            if (!BitConverter.IsLittleEndian)
                for (int i = 0; i < data.Length; i++) data[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(4 * i, 4));
            remaining -= bytes.Length;
            tensors.Add(new ModelTensor(tensor, shape, data));
        }
        if (stream.ReadByte() >= 0) throw new InvalidDataException($"{name}: unexpected bytes after the last tensor");
        return (header, tensors);
    }

    /// <summary>The header's field <paramref name="key"/> of the given kind, or a one-line error naming the file.</summary>
    public static JsonElement Field(JsonElement obj, string key, JsonValueKind kind, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(key, out var v) && v.ValueKind == kind ? v
            : throw new InvalidDataException($"{name}: header has no valid '{key}'");

    private static int ReadFully(Stream stream, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = stream.Read(buffer[total..]);
            if (n == 0) break;
            total += n;
        }
        return total;
    }
}
