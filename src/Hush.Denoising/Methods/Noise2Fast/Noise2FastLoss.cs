using Hush.Engine;

namespace Hush.Denoising.Methods.Noise2Fast;

/// <summary>Binary cross-entropy between the sigmoid prediction and the partner half-image, as PyTorch's BCELoss
/// (mean over pixels, each log clamped at −100). The engine has no log op, so the gradient travels through a
/// surrogate: mean(z ⊙ c) over the logits z with a constant c, whose gradient c/n is exactly BCELoss's gradient
/// ((p − y) / max(p(1 − p), 1e-12)) times the sigmoid's (p(1 − p)), element by element. Its value is not the
/// loss; <see cref="Value"/> gives that.</summary>
internal static class Noise2FastLoss
{
    /// <summary>PyTorch's floor under each log term.</summary>
    private const double LogFloor = -100;

    /// <summary>PyTorch's floor under p(1 − p) in BCELoss's gradient.</summary>
    private const float Epsilon = 1e-12f;

    /// <summary>BCE(p, y) = −mean(y·log p + (1 − y)·log(1 − p)), each log clamped at −100.</summary>
    public static float Value(ReadOnlySpan<float> p, ReadOnlySpan<float> y)
    {
        double sum = 0;
        for (int i = 0; i < p.Length; i++)
            sum += y[i] * Math.Max(Math.Log(p[i]), LogFloor) + (1 - y[i]) * Math.Max(Math.Log(1 - (double)p[i]), LogFloor);
        return (float)(-sum / p.Length);
    }

    /// <summary>The surrogate over <paramref name="logits"/> whose gradient is BCE(sigmoid(logits), target)'s, and the
    /// BCE value itself.</summary>
    public static Tensor Surrogate(Tensor logits, float[] target, out float bce)
    {
        float[] p;
        using (Autograd.NoGradOnThisThread()) p = Ops.Sigmoid(logits).Data; // the probabilities, outside the graph
        bce = Value(p, target);
        var coefficients = Tensor.StepScratch(logits.Shape); // a step buffer: nothing allocated per step
        var c = coefficients.Data;
        for (int i = 0; i < p.Length; i++)
        {
            float slope = (1 - p[i]) * p[i];
            c[i] = (p[i] - target[i]) / MathF.Max(slope, Epsilon) * slope;
        }
        return Ops.Mean(Ops.Mul(logits, coefficients));
    }
}
