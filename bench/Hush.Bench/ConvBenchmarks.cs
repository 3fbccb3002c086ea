using BenchmarkDotNet.Attributes;
using Hush.Engine;
using Hush.Engine.Fused;
using Hush.Engine.Kernels;
using Hush.Engine.Layers;
using Hush.Engine.Optim;

namespace Hush.Bench;

/// <summary>BenchmarkDotNet view of the conv kernels (direct and Winograd, 48→48 3×3 at 256²), an elementwise op, Adam,
/// and a whole ZS-N2N-shaped training step (layer by layer, and fused as ZS-N2N runs it), with allocations per call (MemoryDiagnoser): after warm-up a step allocates
/// nothing (the arena recycles buffers and op nodes; kernels run struct bodies).</summary>
[MemoryDiagnoser]
public class ConvBenchmarks
{
    private const int Size = 256;
    private ConvGeometry _g;
    private float[] _x = [], _w = [], _b = [], _y = [], _dy = [], _dx = [], _dw = [];
    private Conv2d _c1 = null!, _c2 = null!, _c3 = null!;
    private Adam _adam = null!;
    private Tensor _img = null!;
    private readonly TensorArena _arena = new();

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Threading.MaxThreads = Threads;
        _g = ConvGeometry.Create([1, 48, Size, Size], [48, 48, 3, 3], [48], 1, 1, 1, 1);
        var rng = new Rng(1);
        _x = KernelReport.Random(rng, 48 * Size * Size);
        _w = KernelReport.Random(rng, 48 * 48 * 9);
        _b = KernelReport.Random(rng, 48);
        _y = new float[_g.OutputLength];
        _dy = KernelReport.Random(rng, _g.OutputLength);
        _dx = new float[_x.Length];
        _dw = new float[_w.Length];
        _c1 = new Conv2d(3, 48, 3, rng, padding: 1);
        _c2 = new Conv2d(48, 48, 3, rng, padding: 1);
        _c3 = new Conv2d(48, 3, 1, rng);
        _adam = new Adam([.. _c1.Parameters(), .. _c2.Parameters(), .. _c3.Parameters()]);
        _img = Tensor.FromArray(KernelReport.Random(rng, 3 * Size * Size), 1, 3, Size, Size);
        TrainStep(); // gives every parameter a gradient, so AdamStep has work
    }

    [Benchmark] public void ConvForward() => Conv2dFast.Forward(_g, _y, _x, _w, _b);

    [Benchmark] public void ConvBackwardData() => Conv2dFast.BackwardData(_g, _dx, _dy, _w);

    [Benchmark] public void ConvBackwardWeight() => Conv2dFast.BackwardWeight(_g, _dw, _dy, _x);

    [Benchmark] public void WinogradForward() => Hush.Engine.Kernels.Winograd.WinogradConv.Forward(_g, _y, _x, _w, _b, Simd.Best);

    [Benchmark] public void WinogradBackwardData() => Hush.Engine.Kernels.Winograd.WinogradConv.Backward(_g, _dx, null, null, _dy, _x, _w, Simd.Best);

    [Benchmark] public void WinogradBackwardWeight() => Hush.Engine.Kernels.Winograd.WinogradConv.Backward(_g, null, _dw, null, _dy, _x, _w, Simd.Best);

    /// <summary>LeakyReLU forward over one 48-channel 256×256 activation (memory-bound: 12.6 MB in, 12.6 MB out).</summary>
    [Benchmark] public void Elementwise() => Hush.Engine.Kernels.Elementwise.LeakyReluForward(_y, _x, 0.2f);

    /// <summary>One Adam update of ZS-N2N's 22,275 parameters.</summary>
    [Benchmark] public void AdamStep() => _adam.Step();

    /// <summary>conv3×3(3→48) → LReLU → conv3×3(48→48) → LReLU → conv1×1(48→3), MSE, backward, Adam.</summary>
    [Benchmark]
    public float TrainStep()
    {
        _adam.ZeroGrad();
        float loss;
        using (_arena.Activate())
        {
            var h = _c1.ForwardLeakyRelu(_img, 0.2f);
            h = _c2.ForwardLeakyRelu(h, 0.2f);
            var l = Ops.MseLoss(_c3.Forward(h), _img);
            loss = l.Item();
            l.Backward();
        }
        _arena.Reset();
        _adam.Step();
        return loss;
    }

    /// <summary><see cref="TrainStep"/> with the three layers as the one fused op ZS-N2N uses
    /// (<see cref="FusedOps.Conv2dLeakyReluStemHead"/>: no activation transposed or written in NCHW).</summary>
    [Benchmark]
    public float TrainStepFused()
    {
        _adam.ZeroGrad();
        float loss;
        using (_arena.Activate())
        {
            var y = FusedOps.Conv2dLeakyReluStemHead(_img, _c1.Weight, _c1.Bias!, _c2.Weight, _c2.Bias!, _c3.Weight, _c3.Bias!, 0.2f);
            var l = Ops.MseLoss(y, _img);
            loss = l.Item();
            l.Backward();
        }

        _arena.Reset();
        _adam.Step();
        return loss;
    }
}
