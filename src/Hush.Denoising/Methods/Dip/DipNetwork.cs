using Hush.Engine;
using Hush.Engine.Layers;

namespace Hush.Denoising.Methods.Dip;

/// <summary>
/// The denoising notebook's colour network, skip(input_depth, 3, num_channels_down = up = [128]×5, skip = [4]×5,
/// bilinear, sigmoid, bias, reflection, LeakyReLU): five nested <see cref="DipSkipLevel"/>s, then conv1×1(128→C) and a
/// sigmoid. 2,217,831 parameters for 32 input channels and C = 3 (DipTests has the arithmetic). Sides must be
/// multiples of 32 and at least 64: the deepest scale works at side/32, and its mirrored 3×3 convolution needs 2 pixels.
/// </summary>
internal sealed class DipNetwork : Module
{
    public const int Scales = 5, Width = 128, SkipWidth = 4;

    /// <summary>Side multiple the scales need (2^5).</summary>
    public const int SideMultiple = 1 << Scales;

    /// <summary>Smallest side: the deepest features must be 2 wide for reflection padding.</summary>
    public const int MinSide = 2 * SideMultiple;

    private readonly DipSkipLevel[] _levels = new DipSkipLevel[Scales];
    private readonly PaddedConv2d _out;
    private readonly Func<int, Tensor, Tensor> _inner; // Level as a delegate made once: a lambda per level and step would allocate

    public DipNetwork(int inChannels, int outChannels, Rng rng)
    {
        for (int i = 0; i < Scales; i++)
            _levels[i] = new DipSkipLevel(i == 0 ? inChannels : Width, Width, Width, SkipWidth, Width, rng);
        _inner = Level;
        _out = new PaddedConv2d(Width, outChannels, 1, rng, PadMode.Reflect);
    }

    /// <summary>z [1, in, H, W] → image [1, out, H, W] in (0, 1).</summary>
    public Tensor Forward(Tensor z) => Ops.Sigmoid(_out.Forward(Level(0, z)));

    private Tensor Level(int i, Tensor x) => _levels[i].Forward(x, i + 1 < Scales ? _inner : null, i + 1);

    public override IEnumerable<Tensor> Parameters() => _levels.SelectMany(l => l.Parameters()).Concat(_out.Parameters());
}
