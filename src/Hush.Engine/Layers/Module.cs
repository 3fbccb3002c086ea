namespace Hush.Engine.Layers;

/// <summary>A layer or network: holds parameter tensors; the math lives in <see cref="Ops"/>.</summary>
public abstract class Module
{
    /// <summary>The trainable tensors of this module and its children, for an optimizer.</summary>
    public abstract IEnumerable<Tensor> Parameters();

    /// <summary>Total number of parameter elements.</summary>
    public int ParameterCount => Parameters().Sum(p => p.Length);
}
