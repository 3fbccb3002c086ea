using System.Runtime.Intrinsics;
using Hush.Engine;
using Hush.Engine.Fused;
using Hush.Engine.Kernels;
using Hush.Engine.Kernels.Winograd;

namespace Hush.Bench;

/// <summary>Quick table: what a decoder convolution's drop costs beside the convolution, on one [1, C, S, S] input
/// (default Blind2Grad's full-resolution stage input, 99 channels at 256²), ms per call (medians of 15 after 3
/// warm-ups) at 1 and 2 threads: a plain copy of the tensor (the memory yardstick: one read and one write), the dropout
/// and T-standout multipliers (relative threshold, as Blind2Grad draws them, and absolute: the plane-maximum pass is the
/// difference), and the C→64 Winograd convolution with and without the multipliers applied in its input copy.</summary>
internal static class MaskReport
{
    public static void Run(int size, int channels)
    {
        var rng = new Rng(1);
        int k = 64;
        var x = Tensor.FromArray(KernelReport.Random(rng, channels * size * size), 1, channels, size, size);
        var g = ConvGeometry.Create(x.Shape, [k, channels, 3, 3], [k], 1, 1, 1, 1);
        float[] w = KernelReport.Random(rng, k * channels * 9), b = KernelReport.Random(rng, k), y = new float[g.OutputLength];
        float[] copy = new float[x.Length], mask = new float[x.Length], scale = Ops.DropoutMask(x, 0.3f, new Rng(2));
        double mb = x.Length * 4.0 / 1e6;
        Console.WriteLine($"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, SIMD {Simd.Best}, " +
            $"Vector512 {Vector512.IsHardwareAccelerated}; input [1, {channels}, {size}, {size}] = {mb:F1} MB, ms per call");
        Console.WriteLine("| threads | copy (GB/s moved) | dropout mask | standout mask, relative | standout, absolute | conv →64 | conv →64, scaled |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        uint t = Bernoulli.Threshold(0.7f);
        foreach (int threads in new[] { 1, 2 })
        {
            Threading.MaxThreads = threads;
            double copyMs = Ms(() => Par.Elements(copy.Length, new Copy(x.Data, copy)));
            double dropout = Ms(() => Bernoulli.Fill(mask, 7, t, 1f / 0.7f, 0f));
            double relative = Ms(() => StandoutDraws.Fill(mask, x.Data, channels, size, size, 100f / 255, true, 7, t, 1f / 0.7f));
            double absolute = Ms(() => StandoutDraws.Fill(mask, x.Data, channels, size, size, 0.4f, false, 7, t, 1f / 0.7f));
            double conv = Ms(() => WinogradConv.Forward(g, y, x.Data, w, b, Simd.Best, 0.1f));
            double scaled = Ms(() => WinogradConv.Forward(g, y, x.Data, w, b, Simd.Best, 0.1f, false, scale));
            Console.WriteLine($"| {threads} | {copyMs:F2} ({2 * mb / copyMs:F1}) | {dropout:F2} | {relative:F2} | {absolute:F2} | {conv:F2} | {scaled:F2} |");
        }
    }

    private readonly struct Copy(float[] from, float[] to) : IRangeBody
    {
        public void Run(int start, int end) => Array.Copy(from, start, to, start, end - start);
    }

    private static double Ms(Action run) => 1e3 * KernelReport.MedianSeconds(run);
}
