using Hush.Engine.Kernels;
using Hush.Engine.Kernels.Winograd;

namespace Hush.Engine.Fused;

/// <summary>Fused operations: several ops computed as one. This part: ZS-N2N's whole noise predictor as one op (kernels:
/// WinogradConv.Stem*.cs beside this file). It replaces Conv2dLeakyReluStemComposed / Conv2dLeakyReluStemHeadComposed
/// below, which it falls back to; tests/Hush.Engine.Tests/Fused/ConvStemTests.cs checks it against them.</summary>
public static partial class FusedOps
{
    /// <summary>
    /// LeakyRelu(Conv2d(LeakyRelu(Conv2d(x, w1, b1, padding: 1), slope), w2, b2, padding: 1), slope): two 3×3
    /// convolutions in a row as one op, the first from an image's few channels (ZS-N2N's first two layers). When the
    /// shapes suit (both 3×3, the first with at most 16 input channels, the second on Winograd) and x needs no
    /// gradient, the activation between them stays in the Winograd kernel's channels-last layout, forward and back, which
    /// saves several passes over it (<see cref="WinogradConv"/>'s stem); otherwise this is exactly the composition of two
    /// <see cref="Ops.Conv2dLeakyRelu"/> (<see cref="Conv2dLeakyReluStemComposed"/>). Values and gradients equal the
    /// composition's up to float summation order.
    /// </summary>
    public static Tensor Conv2dLeakyReluStem(Tensor x, Tensor w1, Tensor b1, Tensor w2, Tensor b2, float slope)
    {
        (ConvGeometry g1, ConvGeometry g2) = StemGeometry(x, w1, b1, w2, b2, slope, nameof(Conv2dLeakyReluStem));
        bool track = Autograd.IsEnabled && (x.RequiresGrad || w1.RequiresGrad || b1.RequiresGrad || w2.RequiresGrad || b2.RequiresGrad);
        if (x.RequiresGrad && Autograd.IsEnabled || !WinogradConv.CanStem(g1, g2, Simd.Best))
            return Conv2dLeakyReluStemComposed(x, w1, b1, w2, b2, slope);

        var y = TensorArena.AllocateOutput(g2.OutputLength);
        float[]? kept = WinogradConv.StemForward(g1, g2, y, x.Data, w1.Data, b1.Data, w2.Data, b2.Data, slope, Simd.Best, keep: track);
        Tensor t = Tensor.FromRule(y, [g2.N, g2.Cout, g2.Ho, g2.Wo], static (t, dy) =>
        {
            var r = (StemRecord)t.State!;
            Tensor w1 = t.Parents[0], b1 = t.Parents[1], w2 = t.Parents[2], b2 = t.Parents[3];
            float[] kept = r.Kept ?? throw new InvalidOperationException("Conv2dLeakyReluStem: backward ran twice on one graph.");
            r.Kept = null; // handed back to the pool by the kernel
            WinogradConv.StemBackward(r.First, r.Second, w1.RequiresGrad ? w1.EnsureGrad() : null, b1.RequiresGrad ? b1.EnsureGrad() : null,
                w2.RequiresGrad ? w2.EnsureGrad() : null, b2.RequiresGrad ? b2.EnsureGrad() : null, dy, t.Data, r.Input!.Data, w2.Data,
                r.Slope, Simd.Best, kept);
            r.Input = null;
        }, w1, b1, w2, b2);
        if (t.RequiresGrad)
        {
            var r = t.State as StemRecord ?? new StemRecord();
            (r.First, r.Second, r.Slope, r.Kept, r.Input) = (g1, g2, slope, kept, x);
            t.State = r;
        }
        else if (kept is not null)
        {
            Scratch.Return(kept);
        }

        return t;
    }

    [ThreadStatic] private static int[]? _stemHiddenShape;

    // Checks the stem's arguments and returns both layers' geometry (3×3, stride 1, padding 1). Leaves the first
    // layer's output shape in _stemHiddenShape (a per-thread array, so no array is allocated per call).
    private static (ConvGeometry First, ConvGeometry Second) StemGeometry(Tensor x, Tensor w1, Tensor b1, Tensor w2, Tensor b2, float slope, string op)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(w1);
        ArgumentNullException.ThrowIfNull(b1);
        ArgumentNullException.ThrowIfNull(w2);
        ArgumentNullException.ThrowIfNull(b2);
        if (!(slope >= 0f)) throw new ArgumentOutOfRangeException(nameof(slope), slope, $"{op} needs slope >= 0.");
        ConvGeometry g1 = ConvGeometry.Create(x.Shape, w1.Shape, b1.Shape, 1, 1, 1, 1);
        int[] hidden = _stemHiddenShape ??= new int[4];
        (hidden[0], hidden[1], hidden[2], hidden[3]) = (g1.N, g1.Cout, g1.Ho, g1.Wo);
        return (g1, ConvGeometry.Create(hidden, w2.Shape, b2.Shape, 1, 1, 1, 1));
    }

    /// <summary>What the stem ops' backward rules need besides their parameters and output (reused with the node).</summary>
    private sealed class StemRecord
    {
        public ConvGeometry First, Second, Third; // Third: the head (stem-and-head op only)
        public float Slope;
        public float[]? Kept, Hidden; // Kept: the first layer's padded output; Hidden: the stem's output (with a head)
        public Tensor? Input;
    }

    /// <summary>
    /// Conv2d(<see cref="Conv2dLeakyReluStem"/>(x, w1, b1, w2, b2, slope), w3, b3) with a 1×1 head w3 [K3, K2, 1, 1]
    /// (ZS-N2N's whole noise predictor). On the fused path the stem's output is an internal channels-last buffer: the
    /// head runs in the Winograd epilogue while each tile is in cache, and in backward one pass over that buffer gives
    /// the head's gradients and the stem's output gradient, masked and already in the Winograd kernel's padded layout
    /// (instead of a transposed store, a 1×1 convolution, its backward-data into a zeroed NCHW buffer, a masked
    /// transpose and a 1×1 weight gradient). No activation is ever transposed.
    /// Otherwise, and always when x needs a gradient, <see cref="Conv2dLeakyReluStem"/> (itself fused where it can be)
    /// followed by <see cref="Ops.Conv2d"/>. Values and gradients equal <see cref="Conv2dLeakyReluStemHeadComposed"/>'s
    /// up to float summation order.
    /// </summary>
    public static Tensor Conv2dLeakyReluStemHead(Tensor x, Tensor w1, Tensor b1, Tensor w2, Tensor b2, Tensor w3, Tensor b3, float slope)
    {
        ArgumentNullException.ThrowIfNull(w3);
        ArgumentNullException.ThrowIfNull(b3);
        (ConvGeometry g1, ConvGeometry g2) = StemGeometry(x, w1, b1, w2, b2, slope, nameof(Conv2dLeakyReluStemHead));
        int[] hidden = _stemHiddenShape!; // the stem's output shape [N, K2, H, W]
        (hidden[1], hidden[2], hidden[3]) = (g2.Cout, g2.Ho, g2.Wo);
        ConvGeometry g3 = ConvGeometry.Create(hidden, w3.Shape, b3.Shape, 1, 0, 1, 1);
        if (x.RequiresGrad && Autograd.IsEnabled || !WinogradConv.CanStemHead(g1, g2, g3, Simd.Best))
            return Ops.Conv2d(Conv2dLeakyReluStem(x, w1, b1, w2, b2, slope), w3, b3);

        bool track = Autograd.IsEnabled && (w1.RequiresGrad || b1.RequiresGrad || w2.RequiresGrad || b2.RequiresGrad || w3.RequiresGrad || b3.RequiresGrad);
        // The stem's output, channels-last [N, H, W, K2]: an arena buffer that only this op reads (in backward).
        float[] y2 = TensorArena.AllocateOutput(g2.OutputLength);
        float[] y3 = TensorArena.AllocateOutput(g3.OutputLength);
        float[]? kept = WinogradConv.StemHeadForward(g1, g2, g3, y2, y3, x.Data, w1.Data, b1.Data, w2.Data, b2.Data, w3.Data, b3.Data, slope,
            Simd.Best, keep: track);
        Tensor t = Tensor.FromRule(y3, [g3.N, g3.Cout, g3.Ho, g3.Wo], static (t, dy) =>
        {
            var r = (StemRecord)t.State!;
            Tensor w1 = t.Parents[0], b1 = t.Parents[1], w2 = t.Parents[2], b2 = t.Parents[3], w3 = t.Parents[4], b3 = t.Parents[5];
            float[] kept = r.Kept ?? throw new InvalidOperationException("Conv2dLeakyReluStemHead: backward ran twice on one graph.");
            r.Kept = null; // handed back to the pool by the kernel
            float[] y2 = r.Hidden!;
            WinogradConv.StemHeadBackward(r.First, r.Second, r.Third, w1.RequiresGrad ? w1.EnsureGrad() : null,
                b1.RequiresGrad ? b1.EnsureGrad() : null, w2.RequiresGrad ? w2.EnsureGrad() : null, b2.RequiresGrad ? b2.EnsureGrad() : null,
                w3.RequiresGrad ? w3.EnsureGrad() : null, b3.RequiresGrad ? b3.EnsureGrad() : null, dy, w3.Data, y2, r.Input!.Data, w2.Data,
                r.Slope, Simd.Best, kept);
            (r.Input, r.Hidden) = (null, null);
        }, [w1, b1, w2, b2, w3, b3]);
        if (t.RequiresGrad)
        {
            var r = t.State as StemRecord ?? new StemRecord();
            (r.First, r.Second, r.Third, r.Slope, r.Kept, r.Input, r.Hidden) = (g1, g2, g3, slope, kept, x, y2);
            t.State = r;
        }
        else if (kept is not null)
        {
            Scratch.Return(kept);
        }

        return t;
    }

    /// <summary>The plain composition <see cref="Conv2dLeakyReluStem"/> replaces, and its fallback: two
    /// <see cref="Ops.Conv2dLeakyRelu"/> (3×3, padding 1).</summary>
    public static Tensor Conv2dLeakyReluStemComposed(Tensor x, Tensor w1, Tensor b1, Tensor w2, Tensor b2, float slope) =>
        Ops.Conv2dLeakyRelu(Ops.Conv2dLeakyRelu(x, w1, b1, slope, padding: 1), w2, b2, slope, padding: 1);

    /// <summary>The plain composition <see cref="Conv2dLeakyReluStemHead"/> replaces: the stem's composition followed
    /// by the 1×1 head as <see cref="Ops.Conv2d"/>.</summary>
    public static Tensor Conv2dLeakyReluStemHeadComposed(Tensor x, Tensor w1, Tensor b1, Tensor w2, Tensor b2, Tensor w3, Tensor b3, float slope) =>
        Ops.Conv2d(Conv2dLeakyReluStemComposed(x, w1, b1, w2, b2, slope), w3, b3);
}
