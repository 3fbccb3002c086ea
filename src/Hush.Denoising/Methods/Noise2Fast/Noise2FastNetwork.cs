using Hush.Engine;
using Hush.Engine.Layers;

namespace Hush.Denoising.Methods.Noise2Fast;

/// <summary>The official Noise2Fast network for one channel: four blocks of [conv3×3 → ReLU → conv3×3 → ReLU] at 64
/// channels (8 convolutions, zero padding 1), then conv1×1(64→1) and a sigmoid. 259,201 parameters.</summary>
internal sealed class Noise2FastNetwork : Module
{
    public const int Width = 64;
    private const int Convs = 8;
    private readonly Conv2d[] _body = new Conv2d[Convs];
    private readonly Conv2d _head;

    public Noise2FastNetwork(Rng rng)
    {
        // Created in PyTorch's order (block by block, weight then bias) so one seed fixes every weight.
        for (int i = 0; i < Convs; i++) _body[i] = new Conv2d(i == 0 ? 1 : Width, Width, 3, rng, padding: 1);
        _head = new Conv2d(Width, 1, 1, rng);
    }

    /// <summary>x [N,1,H,W] → the pre-sigmoid output [N,1,H,W]. Training takes the logits: the loss applies the
    /// sigmoid's gradient itself (<see cref="Noise2FastLoss"/>).</summary>
    public Tensor Logits(Tensor x)
    {
        foreach (var conv in _body) x = conv.ForwardLeakyRelu(x, 0f); // slope 0: ReLU, fused with the convolution
        return _head.Forward(x);
    }

    /// <summary>x [N,1,H,W] → the prediction in (0, 1).</summary>
    public Tensor Forward(Tensor x) => Ops.Sigmoid(Logits(x));

    public override IEnumerable<Tensor> Parameters() => _body.SelectMany(c => c.Parameters()).Concat(_head.Parameters());
}
