using Hush.Engine.Kernels;
using Hush.Engine.Kernels.Winograd;

namespace Hush.Engine;

public static partial class Ops
{
    /// <summary>
    /// LeakyRelu(Conv2d(LeakyRelu(Conv2d(x, w1, b1, padding: 1), slope), w2, b2, padding: 1), slope): two 3×3
    /// convolutions in a row as one op, the first from an image's few channels (ZS-N2N's first two layers). When the
    /// shapes suit (both 3×3, the first with at most 16 input channels, the second on Winograd) and x needs no
    /// gradient, the activation between them stays in the Winograd kernel's channels-last layout, forward and back, which
    /// saves several passes over it (<see cref="WinogradConv"/>'s stem); otherwise this is exactly the composition of two
    /// <see cref="Conv2dLeakyRelu"/>. Values and gradients equal the composition's up to float summation order.
    /// </summary>
    public static Tensor Conv2dLeakyReluStem(Tensor x, Tensor w1, Tensor b1, Tensor w2, Tensor b2, float slope)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(w1);
        ArgumentNullException.ThrowIfNull(b1);
        ArgumentNullException.ThrowIfNull(w2);
        ArgumentNullException.ThrowIfNull(b2);
        if (!(slope >= 0f)) throw new ArgumentOutOfRangeException(nameof(slope), slope, "Conv2dLeakyReluStem needs slope >= 0.");
        ConvGeometry g1 = ConvGeometry.Create(x.Shape, w1.Shape, b1.Shape, 1, 1, 1, 1);
        int[] hidden = _stemHiddenShape ??= new int[4]; // the first layer's output shape, without an array per call
        (hidden[0], hidden[1], hidden[2], hidden[3]) = (g1.N, g1.Cout, g1.Ho, g1.Wo);
        ConvGeometry g2 = ConvGeometry.Create(hidden, w2.Shape, b2.Shape, 1, 1, 1, 1);
        bool track = Autograd.IsEnabled && (x.RequiresGrad || w1.RequiresGrad || b1.RequiresGrad || w2.RequiresGrad || b2.RequiresGrad);
        if (x.RequiresGrad && Autograd.IsEnabled || !WinogradConv.CanStem(g1, g2, Simd.Best))
            return Conv2dLeakyRelu(Conv2dLeakyRelu(x, w1, b1, slope, padding: 1), w2, b2, slope, padding: 1);

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

    /// <summary>What the stem's backward rule needs besides its parameters and output (reused with its node).</summary>
    private sealed class StemRecord
    {
        public ConvGeometry First, Second;
        public float Slope;
        public float[]? Kept;
        public Tensor? Input;
    }
}
