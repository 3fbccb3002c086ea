namespace Hush.Engine;

/// <summary>
/// Reuses the float buffers of one training step in the next. While an arena is active on a thread,
/// every op output and every intermediate gradient created on that thread is taken from the arena's free
/// lists (by exact length) instead of the GC heap; <see cref="Reset"/> hands them all back at once.
/// Without it a ZS-N2N step at 256² allocates ~100 MB of fresh large-object arrays, and the page faults
/// of zeroing them cost as much as the convolutions.
/// </summary>
/// <remarks>Leaf gradients (parameters) never come from an arena: they outlive the step. Anything
/// computed inside the scope is invalid after <see cref="Reset"/>, the tensor objects too (ops recycle them): copy out
/// what must survive.</remarks>
public sealed class TensorArena
{
    [ThreadStatic] private static TensorArena? _current;

    private readonly Dictionary<int, Stack<float[]>> _free = new();
    private readonly HashSet<float[]> _lent = new(ReferenceEqualityComparer.Instance);

    // Op nodes (Tensor objects made by ops with static rules) are recycled too, per op (keyed by its static rule) and
    // output shape, in the order they were lent: step k+1's i-th convolution to a [1, 96, 64, 64] output gets step k's
    // i-th such node, so its cached shape, parent array and op record fit again. Per op and shape, not one list for
    // all: a prediction pass (no loss) or a checkpoint between steps runs another sequence of ops, and Noise2Fast's
    // pair images change shape from step to step. And a stack refilled in reverse, not a queue: a pass that uses fewer
    // nodes of a kind than the training step left gets the same ones back pass after pass.
    private readonly Dictionary<NodeKey, Stack<Tensor>> _freeNodes = new();
    private readonly List<Tensor> _lentNodes = new();

    internal static TensorArena? Current => _current;

    /// <summary>Makes this arena the current one on the calling thread until the scope is disposed.</summary>
    public Scope Activate()
    {
        var previous = _current;
        _current = this;
        return new Scope(previous);
    }

    /// <summary>Returns every buffer and op node lent since the last reset to the free lists.</summary>
    public void Reset()
    {
        for (int i = _lentNodes.Count - 1; i >= 0; i--) // the first lent ends on top: it is the first rented again
        {
            Tensor t = _lentNodes[i];
            t.ClearForReuse();
            if (!_freeNodes.TryGetValue(t.NodeKey, out var stack)) _freeNodes[t.NodeKey] = stack = new Stack<Tensor>();
            stack.Push(t);
        }
        _lentNodes.Clear();

        foreach (float[] a in _lent)
        {
            if (!_free.TryGetValue(a.Length, out var stack)) _free[a.Length] = stack = new Stack<float[]>();
            stack.Push(a);
        }
        _lent.Clear();
    }

    /// <summary>Hands a buffer lent in this step back before the step ends (an intermediate gradient whose backward
    /// rule has run): later rentals of the same step can reuse it, so a step holds its activations plus only the
    /// gradients still live, not every gradient it ever made. Buffers not lent by the current arena are ignored.</summary>
    internal static void Recycle(float[]? buffer)
    {
        var arena = _current;
        if (buffer is null || arena is null || !arena._lent.Remove(buffer)) return;
        if (!arena._free.TryGetValue(buffer.Length, out var stack)) arena._free[buffer.Length] = stack = new Stack<float[]>();
        stack.Push(buffer);
    }

    /// <summary>An op node for <see cref="Tensor.FromRule(float[], ReadOnlySpan{int}, Action{Tensor, float[]}, ReadOnlySpan{Tensor})"/>
    /// of the op whose static rule is <paramref name="kind"/>, with output <paramref name="shape"/>: a recycled one of that op
    /// and shape if any, else new; lent until the reset.</summary>
    internal Tensor RentNode(object kind, ReadOnlySpan<int> shape)
    {
        var key = new NodeKey(kind, NodeKey.HashOf(shape));
        Tensor t = _freeNodes.TryGetValue(key, out var stack) && stack.Count > 0 ? stack.Pop() : Tensor.NewNode();
        t.NodeKey = key;
        _lentNodes.Add(t);
        return t;
    }

    /// <summary>A buffer of exactly <paramref name="length"/> floats, zeroed if <paramref name="zeroed"/>.</summary>
    internal float[] Rent(int length, bool zeroed = true)
    {
        float[] a;
        if (_free.TryGetValue(length, out var stack) && stack.Count > 0)
        {
            a = stack.Pop();
            if (zeroed) Clear(a);
        }
        else
        {
            a = new float[length];
        }
        _lent.Add(a);
        return a;
    }

    /// <summary>Zeroed storage for an op's output or an intermediate gradient: from the current arena if
    /// one is active on this thread, else from the GC heap.</summary>
    internal static float[] Allocate(int length) => _current?.Rent(length) ?? new float[length];

    // Gradients are cleared on the training thread between kernels; split large ones over the workers.
    private static void Clear(float[] a)
    {
        if (a.Length < Par.ElementwiseThreshold * 4) Array.Clear(a);
        else Par.Elements(a.Length, new ClearRange(a));
    }

    private readonly struct ClearRange(float[] a) : IRangeBody
    {
        public void Run(int start, int end) => Array.Clear(a, start, end - start);
    }

    /// <summary>Storage for an op output that its forward kernel overwrites completely: not cleared when reused
    /// (clearing every activation cost about 5 % of a ZS-N2N step).</summary>
    internal static float[] AllocateOutput(int length) => _current?.Rent(length, zeroed: false) ?? new float[length];

    /// <summary>Makes an arena current until disposed; see <see cref="Activate"/>.</summary>
    public readonly struct Scope(TensorArena? previous) : IDisposable
    {
        /// <summary>Makes the previous arena current again.</summary>
        public void Dispose() => _current = previous;
    }
}

/// <summary>Where a recycled op node is filed: its op (the static rule, by reference) and a hash of its output shape
/// (a collision only costs the node a new shape array).</summary>
internal readonly struct NodeKey(object kind, int shapeHash) : IEquatable<NodeKey>
{
    public object Kind { get; } = kind;
    public int ShapeHash { get; } = shapeHash;

    public static int HashOf(ReadOnlySpan<int> shape)
    {
        var hash = new HashCode();
        foreach (int d in shape) hash.Add(d);
        return hash.ToHashCode();
    }

    public bool Equals(NodeKey other) => ReferenceEquals(Kind, other.Kind) && ShapeHash == other.ShapeHash;

    public override bool Equals(object? obj) => obj is NodeKey other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(Kind), ShapeHash);
}
