namespace Hush.Engine;

/// <summary>How <see cref="Ops.Pad2d(Tensor, int, int, int, int, PadMode)"/> fills the border.</summary>
public enum PadMode
{
    /// <summary>Zeros.</summary>
    Zero,

    /// <summary>Mirror about the edge sample, excluding it (PyTorch/numpy 'reflect': [a b c] → b | a b c | b).</summary>
    Reflect,

    /// <summary>Mirror about the edge, repeating the edge sample (numpy/TensorFlow 'symmetric': [a b c] → a | a b c | c).</summary>
    Symmetric,
}
