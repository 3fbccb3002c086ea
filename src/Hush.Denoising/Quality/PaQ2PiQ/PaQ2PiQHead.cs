using Hush.Engine;

namespace Hush.Denoising.Quality.PaQ2PiQ;

/// <summary>
/// PaQ-2-PiQ's head on the RoI-pooled features f [1, C4, 2, 2]: AdaptiveConcatPool2d (max ‖ mean over the 2×2 bins
/// → 2·C4), BatchNorm1d, Dropout, Linear(2·C4 → hidden), ReLU, BatchNorm1d, Dropout, Linear(hidden → 1). In
/// inference mode dropout is the identity and each BatchNorm1d is folded into the Linear after it:
/// W·(x·s + t) + b = (W·diag s)·x + (W·t + b). The linears run as 1×1 convolutions on [1, n, 1, 1].
/// </summary>
internal sealed class PaQ2PiQHead
{
    private readonly Tensor _w1, _b1, _w2, _b2;

    private PaQ2PiQHead(Tensor w1, Tensor b1, Tensor w2, Tensor b2)
    {
        _w1 = w1;
        _b1 = b1;
        _w2 = w2;
        _b2 = b2;
    }

    /// <summary>Reads head.2 (BatchNorm1d [features]), head.4 (Linear [hidden, features]), head.6 (BatchNorm1d [hidden])
    /// and head.8 (Linear [1, hidden]); hidden (512 in the published model) comes from head.4's shape.</summary>
    public static PaQ2PiQHead Read(TensorFile file, int features)
    {
        int hidden = file.ShapeOf("head.4.weight", 2)[0];
        var (w1, b1) = FoldedLinear(file, "head.2", "head.4", features, hidden);
        var (w2, b2) = FoldedLinear(file, "head.6", "head.8", hidden, 1);
        return new PaQ2PiQHead(w1, b1, w2, b2);
    }

    private static (Tensor W, Tensor B) FoldedLinear(TensorFile file, string bn, string linear, int inputs, int outputs)
    {
        var (scale, shift) = FoldedConv.BatchNorm(file, bn, inputs);
        float[] w = file.Require(linear + ".weight", outputs, inputs), b = file.Require(linear + ".bias", outputs);
        var fw = new float[w.Length];
        var fb = new float[outputs];
        for (int o = 0; o < outputs; o++)
        {
            double bias = b[o];
            for (int i = 0; i < inputs; i++)
            {
                fw[o * inputs + i] = (float)(w[o * inputs + i] * scale[i]);
                bias += w[o * inputs + i] * shift[i];
            }

            fb[o] = (float)bias;
        }

        return (Tensor.FromArray(fw, outputs, inputs, 1, 1), Tensor.FromArray(fb, outputs));
    }

    /// <summary>f [1, C4, 2, 2] → the score [1, 1, 1, 1].</summary>
    public Tensor Forward(Tensor pooled)
    {
        var features = Ops.ConcatChannels(Ops.GlobalMaxPool2d(pooled), Ops.GlobalAvgPool2d(pooled)); // [1, 2·C4, 1, 1]
        var hidden = Ops.Conv2dLeakyRelu(features, _w1, _b1, 0f);
        return Ops.Conv2d(hidden, _w2, _b2);
    }
}
