namespace Hush.Engine;

/// <summary>
/// A dense float32 tensor (row-major; 4-D tensors are NCHW) with an optional reverse-mode autograd record.
/// Tensors produced by <see cref="Ops"/> while <see cref="Autograd.IsEnabled"/> and with at least one input
/// that requires grad remember their inputs and a backward rule (see <c>Ops</c>).
/// </summary>
public sealed class Tensor
{
    private Tensor(float[] data, int[] shape, bool requiresGrad)
    {
        Data = data;
        Shape = shape;
        RequiresGrad = requiresGrad;
    }

    /// <summary>Row-major shape. Do not mutate the returned array.</summary>
    public int[] Shape { get; private set; }

    /// <summary>Contiguous values, length = product(Shape).</summary>
    public float[] Data { get; private set; }

    /// <summary>Gradient of the last backward pass(es), same length as Data; allocated (zeroed) lazily.
    /// Leaves keep it; intermediate tensors release theirs once their backward rule has run.</summary>
    public float[]? Grad { get; private set; }

    /// <summary>Whether gradients flow into this tensor (a trainable parameter or a result computed from one).</summary>
    public bool RequiresGrad { get; private set; }

    /// <summary>Number of elements.</summary>
    public int Length => Data.Length;

    /// <summary>Number of dimensions.</summary>
    public int Rank => Shape.Length;

    /// <summary>Inputs this tensor was computed from (empty for leaves and untracked tensors).</summary>
    internal Tensor[] Parents { get; private set; } = [];

    /// <summary>Backward rule: given dY (this tensor's gradient), accumulates into the parents' gradients.</summary>
    internal Action<float[]>? BackwardRule { get; private set; }

    /// <summary>Allocation-free form of the backward rule: a static rule (no captures) called with this node and dY;
    /// what it needs besides the parents lives in <see cref="State"/> and <see cref="Scalar"/>. Hot ops use it, so a
    /// training step that reuses its nodes (<see cref="TensorArena"/>) allocates nothing.</summary>
    internal Action<Tensor, float[]>? Rule { get; private set; }

    /// <summary>Op-specific record for <see cref="Rule"/>; kept when the node is recycled, so the same op in the next
    /// step can refill it instead of allocating a new one.</summary>
    internal object? State { get; set; }

    /// <summary>The node's op record of type <typeparamref name="T"/>: the one it kept from its last use when it is one,
    /// else a new one (set as <see cref="State"/>). Nodes are recycled per op, so after warm-up it is always the kept one.</summary>
    internal T StateRecord<T>() where T : class, new() => State as T ?? (T)(State = new T());

    /// <summary>The op and output shape a recycled node belongs to, which the arena files it under; kept across reuse.</summary>
    internal NodeKey NodeKey { get; set; }

    /// <summary>One scalar argument of the op (a slope, a scale), for <see cref="Rule"/>.</summary>
    internal float Scalar { get; set; }

    // Per-node caches, reused when an arena recycles the node: parent arrays by count and the node's own shape array.
    private Tensor[]? _parents1, _parents2, _parents3, _parents4, _parentsMany;
    private int[]? _ownShape;

    /// <summary>A tensor of zeros with the given shape (no gradient).</summary>
    public static Tensor Zeros(params int[] shape) => new(new float[CheckedLength(shape)], (int[])shape.Clone(), false);

    /// <summary>Wraps <paramref name="data"/> without copying.</summary>
    public static Tensor FromArray(float[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckLength(data, shape);
        return new Tensor(data, (int[])shape.Clone(), false);
    }

    /// <summary>Wraps <paramref name="data"/> without copying, as <see cref="FromArray"/>, for a constant of one training
    /// step or prediction pass (a mask, a ratio plane): while an arena is active the wrapper is one of its recycled
    /// nodes, so a step allocates nothing for it, and like every op output it is invalid after the arena's reset.
    /// Without an arena it is a new tensor.</summary>
    public static Tensor StepConstant(float[] data, ReadOnlySpan<int> shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (CheckedLength(shape) != data.Length)
            throw new ArgumentException($"Data length {data.Length} does not match shape [{string.Join(", ", shape.ToArray())}].");
        if (TensorArena.Current is null) return new Tensor(data, shape.ToArray(), false);
        return RuleNode(data, shape, ConstantKind, track: false);
    }

    /// <summary>A zeroed tensor of <paramref name="shape"/> to fill in place (no gradient) within one training step or
    /// prediction pass: its buffer and node come from the current arena (a step allocates nothing for it) and, like every
    /// op output, it is invalid after the arena's reset. Without an arena it is a new tensor.</summary>
    public static Tensor StepScratch(ReadOnlySpan<int> shape) => StepConstant(TensorArena.Allocate(CheckedLength(shape)), shape);

    /// <summary>The arena's pool key for <see cref="StepConstant"/> nodes (a rule that is never run: they have no parents).</summary>
    private static readonly Action<Tensor, float[]> ConstantKind = static (_, _) => { };

    /// <summary>A leaf that requires grad (wraps <paramref name="data"/> without copying).</summary>
    public static Tensor Parameter(float[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckLength(data, shape);
        return new Tensor(data, (int[])shape.Clone(), true);
    }

    /// <summary>Result of an op. Records <paramref name="parents"/> and <paramref name="backward"/> only when
    /// grad mode is on and some parent requires grad.</summary>
    internal static Tensor FromOp(float[] data, int[] shape, Tensor[] parents, Action<float[]> backward)
    {
        bool track = false;
        if (Autograd.IsEnabled)
        {
            foreach (Tensor p in parents) track |= p.RequiresGrad;
        }

        var t = new Tensor(data, shape, track);
        if (track)
        {
            t.Parents = parents;
            t.BackwardRule = backward;
        }

        if (Diagnostics.OpProfile.IsOn) Diagnostics.OpProfile.Forward(backward, parents[0], t);

        return t;
    }

    /// <summary>Result of an op with a static rule (see <see cref="Rule"/>): the node comes from the current arena's
    /// recycled nodes when one is active (else it is new), parents are a, b, c, d (trailing nulls omitted), and the shape
    /// is copied into an array the node owns, reused when it matches (so an array another tensor shares is never
    /// written). Records the rule only when grad mode is on and some parent requires grad.</summary>
    internal static Tensor FromRule(float[] data, ReadOnlySpan<int> shape, Action<Tensor, float[]> rule, Tensor a, Tensor? b = null, Tensor? c = null,
        Tensor? d = null)
    {
        if (d is not null && (b is null || c is null)) throw new ArgumentException("FromRule: parent d needs b and c.");
        bool track = Autograd.IsEnabled && (a.RequiresGrad || (b?.RequiresGrad ?? false) || (c?.RequiresGrad ?? false) || (d?.RequiresGrad ?? false));
        Tensor t = RuleNode(data, shape, rule, track);
        if (track)
        {
            Tensor[] parents = d is not null ? (t._parents4 ??= new Tensor[4]) : c is not null ? (t._parents3 ??= new Tensor[3])
                : b is not null ? (t._parents2 ??= new Tensor[2]) : (t._parents1 ??= new Tensor[1]);
            parents[0] = a;
            if (b is not null) parents[1] = b;
            if (c is not null) parents[2] = c;
            if (d is not null) parents[3] = d;
            t.Parents = parents;
        }

        if (Diagnostics.OpProfile.IsOn) Diagnostics.OpProfile.Forward(rule, a, t);
        return t;
    }

    /// <summary><see cref="FromRule(float[], ReadOnlySpan{int}, Action{Tensor, float[]}, Tensor, Tensor?, Tensor?, Tensor?)"/>
    /// for ops with more parents (all non-null); a recycled node reuses its parent array when the count matches.</summary>
    internal static Tensor FromRule(float[] data, ReadOnlySpan<int> shape, Action<Tensor, float[]> rule, ReadOnlySpan<Tensor> parents)
    {
        bool track = false;
        if (Autograd.IsEnabled)
        {
            foreach (Tensor p in parents) track |= p.RequiresGrad;
        }

        Tensor t = RuleNode(data, shape, rule, track);
        if (track)
        {
            Tensor[] all = t._parentsMany is { } cached && cached.Length == parents.Length ? cached : t._parentsMany = new Tensor[parents.Length];
            parents.CopyTo(all);
            t.Parents = all;
        }

        if (Diagnostics.OpProfile.IsOn) Diagnostics.OpProfile.Forward(rule, parents[0], t);
        return t;
    }

    // The node of a FromRule call: recycled from the current arena when one is active (else new), with its data, its
    // own copy of the shape, no gradient, and the rule when tracked; the caller sets the parents of a tracked node.
    private static Tensor RuleNode(float[] data, ReadOnlySpan<int> shape, Action<Tensor, float[]> rule, bool track)
    {
        Tensor t = TensorArena.Current?.RentNode(rule, shape) ?? NewNode();
        t.Data = data;
        if (t._ownShape is null || !t._ownShape.AsSpan().SequenceEqual(shape)) t._ownShape = shape.ToArray();
        t.Shape = t._ownShape;
        t.Grad = null;
        t.BackwardRule = null;
        t.RequiresGrad = track;
        t.Rule = track ? rule : null;
        if (!track) t.Parents = [];
        return t;
    }

    /// <summary>An empty op node, filled by <see cref="FromRule(float[], ReadOnlySpan{int}, Action{Tensor, float[]}, ReadOnlySpan{Tensor})"/>.</summary>
    internal static Tensor NewNode() => new([], [], false);

    /// <summary>Drops a recycled node's graph (parents, rule) and gradient; keeps its caches (Data is refilled on reuse).</summary>
    internal void ClearForReuse()
    {
        if (Parents.Length > 0) Array.Clear(Parents);
        Parents = [];
        Rule = null;
        BackwardRule = null;
        Grad = null;
    }

    // Leaves (parameters) keep their gradient across steps, so only intermediate gradients may come from an arena.
    internal float[] EnsureGrad() => Grad ??= Parents.Length == 0 ? new float[Data.Length] : TensorArena.Allocate(Data.Length);

    internal void ReleaseGrad()
    {
        TensorArena.Recycle(Grad); // reusable by the rest of this step
        Grad = null;
    }

    /// <summary>The value of a one-element tensor.</summary>
    public float Item()
    {
        if (Length != 1) throw new InvalidOperationException($"Item() needs a single-element tensor, got shape [{string.Join(", ", Shape)}].");
        return Data[0];
    }

    /// <summary>Shares Data; records no graph.</summary>
    public Tensor Detach() => RequiresGrad ? new(Data, Shape, false) : this; // already detached: no new wrapper per step

    /// <summary>Back-propagates from this tensor (a scalar loss): accumulates its gradient into every tensor it was computed from that requires one.</summary>
    public void Backward() => Autograd.RunBackward(this);

    /// <summary>Sets this tensor's gradient to zero.</summary>
    public void ZeroGrad()
    {
        if (Grad is not null) Array.Clear(Grad);
    }

    /// <inheritdoc/>
    public override string ToString() => $"Tensor[{string.Join(", ", Shape)}]{(RequiresGrad ? " (grad)" : "")}";

    internal static int CheckedLength(int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return CheckedLength((ReadOnlySpan<int>)shape);
    }

    internal static int CheckedLength(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (int s in shape)
        {
            if (s < 0) throw new ArgumentException($"Negative dimension in shape [{string.Join(", ", shape.ToArray())}].", nameof(shape));
            n *= s;
            if (n > Array.MaxLength) throw new ArgumentException("Tensor too large.", nameof(shape));
        }

        return (int)n;
    }

    private static void CheckLength(float[] data, int[] shape)
    {
        int n = CheckedLength(shape);
        if (n != data.Length)
            throw new ArgumentException($"Data length {data.Length} does not match shape [{string.Join(", ", shape)}] ({n} elements).", nameof(data));
    }
}
