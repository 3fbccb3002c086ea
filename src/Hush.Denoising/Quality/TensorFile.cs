using System.Buffers.Binary;
using System.Text;

namespace Hush.Denoising.Quality;

/// <summary>
/// Reads Hush tensor files: named float32 tensors, the format <c>tools/paq2piq/convert.py</c> writes from a PyTorch
/// state dict. All integers and floats are little-endian:
/// <code>
/// magic    8 bytes  "HUSHTNSR"
/// version  uint32   1
/// count    uint32   number of tensors
/// count records, each:
///   name length  uint16, then the name (UTF-8, e.g. "body.4.0.conv1.weight")
///   rank         uint8 (0..8), then rank × int32 dimensions (row-major, PyTorch's order)
///   data         product(dimensions) × float32
/// </code>
/// and nothing after the last record. Every problem is reported in one line naming the file (and the tensor).
/// </summary>
public sealed class TensorFile
{
    /// <summary>The file's magic bytes.</summary>
    public const string Magic = "HUSHTNSR";

    private const int MaxRank = 8;
    private readonly Dictionary<string, (int[] Shape, float[] Data)> _tensors;

    private TensorFile(string path, Dictionary<string, (int[] Shape, float[] Data)> tensors)
    {
        Path = path;
        _tensors = tensors;
    }

    /// <summary>The file the tensors were read from (for error messages).</summary>
    public string Path { get; }

    /// <summary>The names of the tensors the file holds.</summary>
    public IReadOnlyCollection<string> Names => _tensors.Keys;

    /// <exception cref="InvalidDataException">The file is not a well-formed tensor file.</exception>
    /// <exception cref="IOException">It cannot be read.</exception>
    public static TensorFile Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes = File.ReadAllBytes(path);
        var tensors = new Dictionary<string, (int[], float[])>(StringComparer.Ordinal);
        int at = 0;

        ReadOnlySpan<byte> Take(int n, string what)
        {
            if (n < 0 || bytes.Length - at < n) throw Bad(path, $"truncated ({what} at byte {at})");
            var span = bytes.AsSpan(at, n);
            at += n;
            return span;
        }

        if (bytes.Length < 16 || Encoding.ASCII.GetString(bytes, 0, 8) != Magic)
            throw Bad(path, $"not a Hush tensor file (no \"{Magic}\" header; convert the checkpoint with tools/paq2piq/convert.py)");
        at = 8;
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(Take(4, "version"));
        if (version != 1) throw Bad(path, $"tensor file version {version} is not supported (only 1)");
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(Take(4, "tensor count"));
        for (uint t = 0; t < count; t++)
        {
            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(Take(2, $"name length of tensor {t}"));
            string name = Encoding.UTF8.GetString(Take(nameLength, $"name of tensor {t}"));
            int rank = Take(1, $"rank of '{name}'")[0];
            if (rank > MaxRank) throw Bad(path, $"tensor '{name}' has rank {rank} (at most {MaxRank})");
            var shape = new int[rank];
            long length = 1;
            for (int d = 0; d < rank; d++)
            {
                shape[d] = BinaryPrimitives.ReadInt32LittleEndian(Take(4, $"shape of '{name}'"));
                length *= shape[d];
                if (shape[d] < 0 || length > Array.MaxLength)
                    throw Bad(path, $"tensor '{name}' has an invalid shape [{string.Join(", ", shape[..(d + 1)])}]");
            }

            if (bytes.Length - at < length * 4) throw Bad(path, $"truncated (data of '{name}' at byte {at})");
            var data = new float[length];
            var raw = Take((int)(length * 4), $"data of '{name}'");
            for (int i = 0; i < data.Length; i++) data[i] = BinaryPrimitives.ReadSingleLittleEndian(raw.Slice(4 * i, 4));
            if (!tensors.TryAdd(name, (shape, data))) throw Bad(path, $"tensor '{name}' appears twice");
        }

        if (at != bytes.Length) throw Bad(path, $"{bytes.Length - at} unexpected bytes after the last tensor");
        return new TensorFile(path, tensors);
    }

    /// <summary>Whether the file holds a tensor named <paramref name="name"/>.</summary>
    public bool Contains(string name) => _tensors.ContainsKey(name);

    /// <summary>The data of tensor <paramref name="name"/>, which must have exactly <paramref name="shape"/>.</summary>
    /// <exception cref="InvalidDataException">It is missing or has another shape.</exception>
    public float[] Require(string name, params int[] shape)
    {
        if (!_tensors.TryGetValue(name, out var t)) throw Bad(Path, $"tensor '{name}' is missing");
        if (!t.Shape.AsSpan().SequenceEqual(shape))
            throw Bad(Path, $"tensor '{name}' has shape [{string.Join(", ", t.Shape)}], expected [{string.Join(", ", shape)}]");
        return t.Data;
    }

    /// <summary>The shape of tensor <paramref name="name"/>, which must exist.</summary>
    public int[] ShapeOf(string name) =>
        _tensors.TryGetValue(name, out var t) ? (int[])t.Shape.Clone() : throw Bad(Path, $"tensor '{name}' is missing");

    /// <summary>The shape of tensor <paramref name="name"/> (which must exist and have <paramref name="rank"/> dimensions).</summary>
    public int[] ShapeOf(string name, int rank)
    {
        if (!_tensors.TryGetValue(name, out var t)) throw Bad(Path, $"tensor '{name}' is missing");
        if (t.Shape.Length != rank)
            throw Bad(Path, $"tensor '{name}' has shape [{string.Join(", ", t.Shape)}], expected {rank} dimensions");
        return (int[])t.Shape.Clone();
    }

    /// <summary>Writes tensors in this format (tests and tools; the converter writes the same bytes from Python).</summary>
    public static void Write(string path, IEnumerable<(string Name, int[] Shape, float[] Data)> tensors)
    {
        var list = tensors.ToList();
        using var stream = File.Create(path);
        using var w = new BinaryWriter(stream, Encoding.UTF8);
        w.Write(Encoding.ASCII.GetBytes(Magic));
        w.Write(1u);
        w.Write((uint)list.Count);
        foreach (var (name, shape, data) in list)
        {
            byte[] n = Encoding.UTF8.GetBytes(name);
            w.Write(checked((ushort)n.Length));
            w.Write(n);
            w.Write(checked((byte)shape.Length));
            foreach (int d in shape) w.Write(d);
            if (shape.Aggregate(1L, (a, b) => a * b) != data.Length)
                throw new ArgumentException($"tensor '{name}': {data.Length} values for shape [{string.Join(", ", shape)}]");
            foreach (float v in data) w.Write(v);
        }
    }

    private static InvalidDataException Bad(string path, string message) => new($"{path}: {message}");
}
