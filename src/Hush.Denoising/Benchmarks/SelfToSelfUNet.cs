using Hush.Denoising.Masking;
using Hush.Denoising.Networks;
using Hush.Engine;
using Hush.Engine.Layers;
using Hush.Engine.Optim;

namespace Hush.Denoising.Benchmarks;

/// <summary>
/// Speed yardstick for the heavy methods (issue: Self2Self / Self2Self+): the Self2Self-style U-Net of
/// bench/RESULTS.md "Speed: U-Net methods", trained one step at a time on a Bernoulli-masked image. Encoder: conv3×3(C→48), then
/// 5 × [conv3×3(48→48) + LeakyReLU(0.1), max-pool 2], then conv3×3(48→48) + LeakyReLU at 1/32. Decoder: 4 × [nearest ×2,
/// concat skip, dropout(0.3) + conv3×3(→96) + LeakyReLU, dropout + conv3×3(96→96) + LeakyReLU], then ×2, concat the
/// masked input, conv(→64), conv(64→32), conv(32→C), sigmoid. Loss: MSE on the dropped pixels; Adam 1e-4.
/// Plain convolutions stand in for Self2Self's partial convolutions (whose mask update is under 2 % of the FLOPs), so
/// this times the network, not the method; bench/reference/s2s_unet_torch.py is the same network in PyTorch. The decoder
/// stages are the methods' <see cref="UpBlock"/>s (zero borders, PyTorch's default init), so the yardstick times their code.
/// The real Self2Self network is <see cref="Methods.Self2Self.Self2SelfNetwork"/>.
/// Sides must be multiples of 32.
/// </summary>
internal sealed class SelfToSelfUNet : Module
{
    private const float Slope = 0.1f, Keep = 0.7f;
    private readonly Conv2d _in, _bottleneck, _out64, _out32, _outC;
    private readonly Conv2d[] _down = new Conv2d[5];
    private readonly UpBlock[] _up = new UpBlock[4];
    private readonly Rng _rng;

    public SelfToSelfUNet(int channels, Rng rng)
    {
        _rng = rng;
        _in = new Conv2d(channels, 48, 3, rng, padding: 1);
        for (int k = 0; k < 5; k++) _down[k] = new Conv2d(48, 48, 3, rng, padding: 1);
        _bottleneck = new Conv2d(48, 48, 3, rng, padding: 1);
        for (int k = 0; k < 4; k++) // same draws, in the same order, as conv A then conv B of each stage
            _up[k] = new UpBlock(k == 0 ? 96 : 144, [96, 96], rng, PadMode.Zero, UNetInit.Default, Slope, 1f - Keep);

        _out64 = new Conv2d(96 + channels, 64, 3, rng, padding: 1);
        _out32 = new Conv2d(64, 32, 3, rng, padding: 1);
        _outC = new Conv2d(32, channels, 3, rng, padding: 1);
    }

    public Tensor Forward(Tensor x)
    {
        var skips = new Tensor[5];
        var h = _in.Forward(x);
        for (int k = 0; k < 5; k++)
        {
            h = Ops.MaxPool2d(_down[k].ForwardLeakyRelu(h, Slope));
            skips[k] = h; // at 1/2^(k+1)
        }

        h = _bottleneck.ForwardLeakyRelu(h, Slope);
        for (int k = 0; k < 4; k++) h = _up[k].Forward(h, skips[3 - k], _rng);

        h = Ops.ConcatChannels(Ops.UpsampleNearest2x(h), x);
        h = _out64.ForwardLeakyRelu(h, Slope);
        h = _out32.ForwardLeakyRelu(h, Slope);
        return Ops.Sigmoid(_outC.Forward(h));
    }

    public override IEnumerable<Tensor> Parameters() =>
        new[] { _in }.Concat(_down).Append(_bottleneck).SelectMany(c => c.Parameters())
            .Concat(_up.SelectMany(u => u.Parameters()))
            .Concat(new[] { _out64, _out32, _outC }.SelectMany(c => c.Parameters()));

    private float[]? _keep, _dropped;

    /// <summary>One training step on y [1, C, H, W]: new input mask, masked MSE on the dropped pixels, Adam.</summary>
    public float Step(Tensor y, Adam adam, TensorArena arena)
    {
        adam.ZeroGrad();
        float loss;
        _keep ??= new float[y.Length];
        _dropped ??= new float[y.Length];
        int count = 0;
        for (int i = 0; i < _keep.Length; i++)
        {
            bool kept = _rng.NextFloat() < Keep;
            _keep[i] = kept ? 1f : 0f;
            _dropped[i] = kept ? 0f : 1f;
            count += kept ? 0 : 1;
        }

        count = Math.Max(1, count);
        using (arena.Activate())
        {
            var dropped = Tensor.FromArray(_dropped, y.Shape);
            var input = Ops.Mul(y, Tensor.FromArray(_keep, y.Shape));
            var outMasked = Ops.Mul(Forward(input), dropped);
            var l = Ops.Scale(Ops.MseLoss(outMasked, Ops.Mul(y, dropped)), (float)y.Length / count);
            loss = l.Item();
            l.Backward();
        }

        arena.Reset();
        adam.Step();
        return loss;
    }
}
