namespace Hush.Engine.Layers;

/// <summary>A layer or network: holds parameter tensors; the math lives in <see cref="Ops"/>.</summary>
public abstract class Module
{
    public abstract IEnumerable<Tensor> Parameters();

    /// <summary>Total number of parameter elements.</summary>
    public int ParameterCount => Parameters().Sum(p => p.Length);
}
