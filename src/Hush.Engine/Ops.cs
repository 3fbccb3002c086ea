using Hush.Engine.Kernels;

namespace Hush.Engine;

/// <summary>
/// Tensor ops and their gradient rules: each op runs its forward kernel and records (inputs, backward rule);
/// the rule ACCUMULATES into the inputs' gradients through the op family's backward kernel (Kernels/).
/// Sub-gradient conventions: Relu/LeakyRelu use x &gt; 0, Clamp passes where lo &lt; x &lt; hi, L1 uses sign(0) = 0.
/// </summary>
public static partial class Ops
{
    /// <summary>2-D convolution of <paramref name="x"/> (N, C, H, W) with <paramref name="w"/> (out, C / groups, k, k), plus <paramref name="bias"/> per output channel when given.</summary>
    public static Tensor Conv2d(Tensor x, Tensor w, Tensor? bias = null, int stride = 1, int padding = 0, int dilation = 1, int groups = 1) =>
        Conv(x, w, bias, stride, padding, dilation, groups, null);

    /// <summary>LeakyRelu(Conv2d(x, w, bias), slope) as one op: the activation runs in the convolution's epilogue and
    /// its gradient in the backward pass's copy of dY, saving two full passes over the activation. Values and
    /// gradients equal the two-op composition (the bias gradient up to float summation order).</summary>
    public static Tensor Conv2dLeakyRelu(Tensor x, Tensor w, Tensor? bias, float slope, int stride = 1, int padding = 0, int dilation = 1, int groups = 1)
    {
        // The backward rule reads the mask from the output, which needs y > 0 exactly where the input is > 0.
        if (!(slope >= 0f)) throw new ArgumentOutOfRangeException(nameof(slope), slope, "Conv2dLeakyRelu needs slope >= 0.");
        return Conv(x, w, bias, stride, padding, dilation, groups, slope);
    }

    /// <summary>A 'same' stride-1 3×3 convolution whose border is <paramref name="mode"/> (then LeakyReLU(slope) when
    /// given), of x or, with <paramref name="inputScale"/> (x's shape, no gradient: a dropout mask from
    /// <see cref="DropoutMask(Tensor, float, Rng)"/>), of x ⊙ inputScale: Conv2d(Pad2d(x ⊙ s, 1, mode), w, bias) as one op. On the Winograd
    /// path a mirrored border is written straight into its padded copy and its gradient folded back
    /// (Kernels/Winograd/WinogradConv.Border), and the scale is applied in that copy and to dX on its way out, saving
    /// the padded and the scaled tensors and their backward passes; where Winograd does not apply (few channels or
    /// pixels) it is that composition.</summary>
    public static Tensor Conv2dSame3x3(Tensor x, Tensor w, Tensor? bias, PadMode mode, float? leakySlope = null, float[]? inputScale = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(w);
        if (!Enum.IsDefined(mode)) throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown pad mode.");
        if (w.Rank != 4 || w.Shape[2] != 3 || w.Shape[3] != 3)
            throw new ArgumentException($"Conv2dSame3x3 needs a [Cout, Cin, 3, 3] weight, got [{string.Join(", ", w.Shape)}].");
        if (leakySlope is float s && !(s >= 0f)) throw new ArgumentOutOfRangeException(nameof(leakySlope), s, "LeakyReLU fused into a convolution needs slope >= 0.");
        if (inputScale is not null && inputScale.Length != x.Length)
            throw new ArgumentException($"Conv2dSame3x3: the input scale has {inputScale.Length} values, x has {x.Length}.");
        ConvGeometry g = ConvGeometry.Create(x.Shape, w.Shape, bias?.Shape, 1, 1, 1, 1) with { Border = mode };
        if (Kernels.Winograd.WinogradConv.Can(g, Simd.Best)) return Conv(x, w, bias, 1, 1, 1, 1, leakySlope, mode, inputScale);
        var input = inputScale is null ? x : Mul(x, Tensor.StepConstant(inputScale, x.Shape));
        return mode == PadMode.Zero
            ? Conv(input, w, bias, 1, 1, 1, 1, leakySlope)
            : Conv(Pad2d(input, 1, mode), w, bias, 1, 0, 1, 1, leakySlope);
    }

    private const int KeepInputLimit = 64 << 20;

    private static Tensor Conv(Tensor x, Tensor w, Tensor? bias, int stride, int padding, int dilation, int groups, float? leaky,
        PadMode border = PadMode.Zero, float[]? inputScale = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(w);
        ConvGeometry g = ConvGeometry.Create(x.Shape, w.Shape, bias?.Shape, stride, padding, dilation, groups) with { Border = border };
        var y = TensorArena.AllocateOutput(g.OutputLength);
        // The weight gradient needs x again: keep the kernel's own copy of it (Winograd's padded layout) for backward,
        // unless it is big (over 64 M floats, about a 1200×1200 image with 48 channels), where memory matters more than
        // the one extra copy per step.
        bool keep = Autograd.IsEnabled && w.RequiresGrad && x.Length <= KeepInputLimit;
        float[]? saved = Conv2dKernels.Forward(g, y, x.Data, w.Data, bias?.Data, leaky, keepForBackward: keep, inputScale);
        Tensor t = Tensor.FromRule(y, [g.N, g.Cout, g.Ho, g.Wo], static (t, dy) =>
        {
            var r = (ConvRecord)t.State!;
            Tensor x = t.Parents[0], w = t.Parents[1];
            Tensor? bias = t.Parents.Length > 2 ? t.Parents[2] : null;
            float[]? reuse = r.Saved;
            r.Saved = null; // handed back to the pool by the kernel: a second backward pass must not see it
            Conv2dKernels.Backward(r.Geometry, x.RequiresGrad ? x.EnsureGrad() : null, w.RequiresGrad ? w.EnsureGrad() : null,
                bias is not null && bias.RequiresGrad ? bias.EnsureGrad() : null, dy, x.Data, w.Data,
                r.Leaky.HasValue ? t.Data : null, r.Leaky ?? 0f, reuse, r.InputScale);
        }, x, w, bias);
        if (t.RequiresGrad)
        {
            var r = t.StateRecord<ConvRecord>();
            (r.Geometry, r.Leaky, r.Saved, r.InputScale) = (g, leaky, saved, inputScale);
        }

        return t;
    }

    /// <summary>What a convolution's backward rule needs besides its inputs and output (reused with its node).</summary>
    private sealed class ConvRecord
    {
        public ConvGeometry Geometry;
        public float? Leaky;
        public float[]? Saved;
        public float[]? InputScale;
    }

    /// <summary>Elementwise a + b of two tensors of the same shape.</summary>
    public static Tensor Add(Tensor a, Tensor b)
    {
        CheckSameShape(a, b, nameof(Add));
        var y = TensorArena.AllocateOutput(a.Length);
        Elementwise.AddForward(y, a.Data, b.Data);
        return Tensor.FromRule(y, a.Shape, static (t, dy) =>
        {
            Tensor a = t.Parents[0], b = t.Parents[1];
            if (a.RequiresGrad) Elementwise.AccumulateBackward(a.EnsureGrad(), dy);
            if (b.RequiresGrad) Elementwise.AccumulateBackward(b.EnsureGrad(), dy);
        }, a, b);
    }

    /// <summary>Elementwise a − b of two tensors of the same shape.</summary>
    public static Tensor Sub(Tensor a, Tensor b)
    {
        CheckSameShape(a, b, nameof(Sub));
        var y = TensorArena.AllocateOutput(a.Length);
        Elementwise.SubForward(y, a.Data, b.Data);
        return Tensor.FromRule(y, a.Shape, static (t, dy) =>
        {
            Tensor a = t.Parents[0], b = t.Parents[1];
            if (a.RequiresGrad) Elementwise.AccumulateBackward(a.EnsureGrad(), dy);
            if (b.RequiresGrad) Elementwise.SubtractBackward(b.EnsureGrad(), dy);
        }, a, b);
    }

    /// <summary>Elementwise a · b of two tensors of the same shape.</summary>
    public static Tensor Mul(Tensor a, Tensor b)
    {
        CheckSameShape(a, b, nameof(Mul));
        var y = TensorArena.AllocateOutput(a.Length);
        Elementwise.MulForward(y, a.Data, b.Data);
        return Tensor.FromRule(y, a.Shape, static (t, dy) =>
        {
            Tensor a = t.Parents[0], b = t.Parents[1];
            if (a.RequiresGrad) Elementwise.MulBackward(a.EnsureGrad(), dy, b.Data);
            if (b.RequiresGrad) Elementwise.MulBackward(b.EnsureGrad(), dy, a.Data);
        }, a, b);
    }

    /// <summary>Every element times <paramref name="s"/>.</summary>
    public static Tensor Scale(Tensor a, float s)
    {
        ArgumentNullException.ThrowIfNull(a);
        var y = TensorArena.AllocateOutput(a.Length);
        Elementwise.ScaleForward(y, a.Data, s);
        var t = Tensor.FromRule(y, a.Shape, static (t, dy) => Elementwise.ScaleBackward(t.Parents[0].EnsureGrad(), dy, t.Scalar), a);
        t.Scalar = s;
        return t;
    }

    /// <summary>Every element plus <paramref name="s"/>.</summary>
    public static Tensor AddScalar(Tensor a, float s)
    {
        ArgumentNullException.ThrowIfNull(a);
        var y = TensorArena.AllocateOutput(a.Length);
        Elementwise.AddScalarForward(y, a.Data, s);
        return Tensor.FromRule(y, a.Shape, static (t, dy) => Elementwise.AccumulateBackward(t.Parents[0].EnsureGrad(), dy), a);
    }

    /// <summary>LeakyReLU: x where x &gt; 0, else <paramref name="slope"/>·x.</summary>
    public static Tensor LeakyRelu(Tensor x, float slope)
    {
        ArgumentNullException.ThrowIfNull(x);
        var y = TensorArena.AllocateOutput(x.Length);
        Elementwise.LeakyReluForward(y, x.Data, slope);
        var t = Tensor.FromRule(y, x.Shape, static (t, dy) =>
        {
            Tensor x = t.Parents[0];
            Elementwise.LeakyReluBackward(x.EnsureGrad(), dy, x.Data, t.Scalar);
        }, x);
        t.Scalar = slope;
        return t;
    }

    /// <summary>ReLU: max(x, 0).</summary>
    public static Tensor Relu(Tensor x) => LeakyRelu(x, 0f);

    /// <summary>The logistic sigmoid 1 / (1 + e^−x).</summary>
    public static Tensor Sigmoid(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var y = TensorArena.AllocateOutput(x.Length);
        Elementwise.SigmoidForward(y, x.Data);
        return Tensor.FromRule(y, x.Shape, static (t, dy) => Elementwise.SigmoidBackward(t.Parents[0].EnsureGrad(), dy, t.Data), x);
    }

    /// <summary>Every element clamped to [<paramref name="lo"/>, <paramref name="hi"/>] (no gradient where clamped).</summary>
    public static Tensor Clamp(Tensor x, float lo, float hi)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (!(lo <= hi)) throw new ArgumentException($"Clamp needs lo <= hi (got {lo}, {hi}).");
        var y = TensorArena.AllocateOutput(x.Length);
        Elementwise.ClampForward(y, x.Data, lo, hi);
        var t = Tensor.FromRule(y, x.Shape, static (t, dy) =>
        {
            Tensor x = t.Parents[0];
            Elementwise.ClampBackward(x.EnsureGrad(), dy, x.Data, t.Scalar, ((Bounds)t.State!).Hi);
        }, x);
        if (t.RequiresGrad)
        {
            t.Scalar = lo;
            var b = t.StateRecord<Bounds>();
            b.Hi = hi;
        }

        return t;
    }

    /// <summary>Clamp's upper bound (the lower one is the node's scalar), in a record reused with its node.</summary>
    private sealed class Bounds
    {
        public float Hi;
    }

    /// <summary>Sum of all elements -> [1].</summary>
    public static Tensor Sum(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        float[] y = TensorArena.AllocateOutput(1);
        y[0] = Reduction.SumForward(x.Data);
        return Tensor.FromRule(y, [1], static (t, dy) => Reduction.BroadcastBackward(t.Parents[0].EnsureGrad(), dy[0]), x);
    }

    /// <summary>Mean of all elements -> [1].</summary>
    public static Tensor Mean(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        int n = CheckNonEmpty(x, nameof(Mean));
        float[] y = TensorArena.AllocateOutput(1);
        y[0] = (float)((double)Reduction.SumForward(x.Data) / n);
        return Tensor.FromRule(y, [1], static (t, dy) => Reduction.BroadcastBackward(t.Parents[0].EnsureGrad(), dy[0] / t.Parents[0].Length), x);
    }

    /// <summary>mean((a - b)^2) -> [1]; the gradient flows to both a and b.</summary>
    public static Tensor MseLoss(Tensor a, Tensor b)
    {
        CheckSameShape(a, b, nameof(MseLoss));
        int n = CheckNonEmpty(a, nameof(MseLoss));
        float[] y = TensorArena.AllocateOutput(1);
        y[0] = (float)(Reduction.SquaredErrorSum(a.Data, b.Data) / n);
        return Tensor.FromRule(y, [1], static (t, dy) =>
        {
            Tensor a = t.Parents[0], b = t.Parents[1];
            Reduction.SquaredErrorBackward(a.RequiresGrad ? a.EnsureGrad() : null, b.RequiresGrad ? b.EnsureGrad() : null,
                a.Data, b.Data, dy[0] * 2f / a.Length);
        }, a, b);
    }

    /// <summary>mean(|a - b|) -> [1]; the gradient flows to both a and b (sign(0) = 0).</summary>
    public static Tensor L1Loss(Tensor a, Tensor b)
    {
        CheckSameShape(a, b, nameof(L1Loss));
        int n = CheckNonEmpty(a, nameof(L1Loss));
        float[] y = TensorArena.AllocateOutput(1);
        y[0] = (float)(Reduction.AbsoluteErrorSum(a.Data, b.Data) / n);
        return Tensor.FromRule(y, [1], static (t, dy) =>
        {
            Tensor a = t.Parents[0], b = t.Parents[1];
            Reduction.AbsoluteErrorBackward(a.RequiresGrad ? a.EnsureGrad() : null, b.RequiresGrad ? b.EnsureGrad() : null,
                a.Data, b.Data, dy[0] / a.Length);
        }, a, b);
    }

    /// <summary>x[:, start:start+count] of a 4-D tensor (a copy).</summary>
    public static Tensor SliceChannels(Tensor x, int start, int count)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 4) throw new ArgumentException($"SliceChannels needs a 4-D tensor, got [{string.Join(", ", x.Shape)}].");
        int n = x.Shape[0], c = x.Shape[1], plane = x.Shape[2] * x.Shape[3];
        if (start < 0 || count < 0 || start + count > c)
            throw new ArgumentOutOfRangeException(nameof(start), $"Channels [{start}, {start + count}) out of range for {c} channels.");
        var y = TensorArena.AllocateOutput(n * count * plane);
        Channels.SliceForward(y, x.Data, n, c, plane, start, count);
        var t = Tensor.FromRule(y, [n, count, x.Shape[2], x.Shape[3]], static (t, dy) =>
        {
            Tensor x = t.Parents[0];
            Channels.SliceBackward(x.EnsureGrad(), dy, x.Shape[0], x.Shape[1], x.Shape[2] * x.Shape[3], (int)t.Scalar, t.Shape[1]);
        }, x);
        t.Scalar = start; // a channel index: exact in a float
        return t;
    }

    /// <summary>Concatenation of 4-D tensors along dim 1.</summary>
    public static Tensor ConcatChannels(params ReadOnlySpan<Tensor> xs)
    {
        if (xs.Length == 0) throw new ArgumentException("ConcatChannels needs at least one tensor.");
        int[] s0 = xs[0].Shape;
        if (s0.Length != 4) throw new ArgumentException($"ConcatChannels needs 4-D tensors, got [{string.Join(", ", s0)}].");
        int total = 0;
        foreach (Tensor t in xs)
        {
            if (t.Rank != 4 || t.Shape[0] != s0[0] || t.Shape[2] != s0[2] || t.Shape[3] != s0[3])
                throw new ArgumentException($"ConcatChannels: shape [{string.Join(", ", t.Shape)}] does not match [{string.Join(", ", s0)}] outside dim 1.");
            total += t.Shape[1];
        }

        int n = s0[0], plane = s0[2] * s0[3];
        var y = TensorArena.AllocateOutput(n * total * plane);
        for (int k = 0, start = 0; k < xs.Length; start += xs[k].Shape[1], k++)
            Channels.InsertForward(y, xs[k].Data, n, total, plane, start, xs[k].Shape[1]);

        // The parents' channel counts give each one's start again in the rule: nothing to capture.
        return Tensor.FromRule(y, [n, total, s0[2], s0[3]], static (t, dy) =>
        {
            Tensor[] parents = t.Parents;
            int n = t.Shape[0], total = t.Shape[1], plane = t.Shape[2] * t.Shape[3];
            for (int k = 0, start = 0; k < parents.Length; start += parents[k].Shape[1], k++)
            {
                if (parents[k].RequiresGrad)
                    Channels.InsertBackward(parents[k].EnsureGrad(), dy, n, total, plane, start, parents[k].Shape[1]);
            }
        }, xs);
    }

    /// <summary>Inverted dropout: each element is kept with probability 1 − p and scaled by 1/(1 − p), else zeroed.
    /// Always active (Self2Self keeps dropout on at inference; callers that want it off simply skip the op). The mask
    /// is a counter-based hash of one 64-bit draw from <paramref name="rng"/> and the element index
    /// (<see cref="Kernels.Bernoulli"/>), so a seed fixes it for any thread count.</summary>
    public static Tensor Dropout(Tensor x, float p, Rng rng)
    {
        var mask = DropoutMask(x, p, rng);
        var y = TensorArena.AllocateOutput(x.Length);
        Elementwise.MulForward(y, x.Data, mask);
        var t = Tensor.FromRule(y, x.Shape, static (t, dy) => Elementwise.MulBackward(t.Parents[0].EnsureGrad(), dy, (float[])t.State!), x);
        t.State = mask; // the mask buffer itself: nothing to allocate
        return t;
    }

    /// <summary>The multipliers <see cref="Dropout"/> applies to x: 1/(1 − p) with probability 1 − p, else 0, drawn as
    /// Dropout draws them (one generator value, then a counter-based hash per element), so Dropout(x, p, rng) equals
    /// x ⊙ DropoutMask(x, p, rng) for the same generator state. For ops that apply the mask inside another pass
    /// (<see cref="Conv2dSame3x3"/>'s input scale).</summary>
    public static float[] DropoutMask(Tensor x, float p, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(x);
        return DropoutMask(x.Length, p, rng);
    }

    /// <summary><see cref="DropoutMask(Tensor, float, Rng)"/> for a tensor of <paramref name="length"/> elements (it reads
    /// only the length), e.g. a concatenation that is never made (<see cref="ConcatConv2dSame3x3"/>).</summary>
    public static float[] DropoutMask(int length, float p, Rng rng)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentNullException.ThrowIfNull(rng);
        if (!(p >= 0f && p < 1f)) throw new ArgumentOutOfRangeException(nameof(p), p, "Dropout needs 0 <= p < 1.");
        float keep = 1f - p, scale = 1f / keep;
        var mask = TensorArena.AllocateOutput(length);
        Bernoulli.Fill(mask, rng.NextUInt64(), Bernoulli.Threshold(keep), scale, 0f);
        return mask;
    }

    /// <summary>2×2, stride-2 max-pooling of [N, C, H, W] → [N, C, ⌊H/2⌋, ⌊W/2⌋]. The gradient goes to the first maximum
    /// of each window in scan order (NaN counts as the maximum).</summary>
    public static Tensor MaxPool2d(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 4 || x.Shape[2] < 2 || x.Shape[3] < 2)
            throw new ArgumentException($"MaxPool2d needs [N, C, H, W] with H, W >= 2, got [{string.Join(", ", x.Shape)}].");
        int planes = x.Shape[0] * x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        int length = planes * (h / 2) * (w / 2);
        var y = TensorArena.AllocateOutput(length);
        var arg = TensorArena.AllocateOutput(length); // window position of each maximum, 0..3
        Resample.MaxPool2Forward(y, arg, x.Data, planes, h, w);
        // A static rule with the arguments in the node's state: a recycled node allocates nothing.
        var t = Tensor.FromRule(y, [x.Shape[0], x.Shape[1], h / 2, w / 2], static (t, dy) =>
        {
            Tensor x = t.Parents[0];
            Resample.MaxPool2Backward(x.EnsureGrad(), dy, (float[])t.State!, x.Shape[0] * x.Shape[1], x.Shape[2], x.Shape[3]);
        }, x);
        if (t.RequiresGrad) t.State = arg;
        return t;
    }

    /// <summary>Nearest-neighbour ×2 up-sampling of [N, C, H, W] → [N, C, 2H, 2W].</summary>
    public static Tensor UpsampleNearest2x(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 4) throw new ArgumentException($"UpsampleNearest2x needs [N, C, H, W], got [{string.Join(", ", x.Shape)}].");
        int planes = x.Shape[0] * x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        var y = TensorArena.AllocateOutput(checked(x.Length * 4));
        Resample.Upsample2Forward(y, x.Data, planes, h, w);
        return Tensor.FromRule(y, [x.Shape[0], x.Shape[1], 2 * h, 2 * w], static (t, dy) =>
        {
            Tensor x = t.Parents[0];
            Resample.Upsample2Backward(x.EnsureGrad(), dy, x.Shape[0] * x.Shape[1], x.Shape[2], x.Shape[3]);
        }, x);
    }

    private static void CheckSameShape(Tensor a, Tensor b, string op)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (!a.Shape.AsSpan().SequenceEqual(b.Shape))
            throw new ArgumentException($"{op}: shapes [{string.Join(", ", a.Shape)}] and [{string.Join(", ", b.Shape)}] differ.");
    }

    private static int CheckNonEmpty(Tensor x, string op)
    {
        if (x.Length == 0) throw new ArgumentException($"{op} of an empty tensor.");
        return x.Length;
    }
}
