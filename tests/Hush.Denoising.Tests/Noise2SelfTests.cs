using Hush.Denoising.Metrics;
using Hush.Denoising.Noise;
using Hush.Engine;
using Hush.Imaging;
using Hush.Testing;
using Xunit.Abstractions;

namespace Hush.Denoising.Tests;

public class Noise2SelfTests(ITestOutputHelper log)
{
    [Fact]
    public void EachGridPhaseMasksItsResidueClassAndTheSixteenCoverEveryPixelOnce()
    {
        const int w = 4, height = 9, width = 11, channels = 2;
        var count = new int[channels * height * width];
        for (int phase = 0; phase < w * w; phase++)
        {
            var mask = Noise2SelfMasks.Grid(phase, w, channels, height, width);
            for (int c = 0; c < channels; c++)
                for (int y = 0; y < height; y++)
                    for (int x = 0; x < width; x++)
                    {
                        int i = (c * height + y) * width + x;
                        bool expected = y % 4 == phase % 4 && x % 4 == phase / 4; // rows follow i mod 4, columns ⌊i/4⌋
                        Assert.Equal(expected ? 1f : 0f, mask[i]);
                        Assert.Equal(expected, Noise2SelfMasks.InPhase(phase, w, y, x));
                        count[i] += (int)mask[i];
                    }
        }
        Assert.All(count, n => Assert.Equal(1, n));
    }

    [Fact]
    public void InterpolationIsTheWeightedNeighbourMeanWithZerosOutside()
    {
        // 3×3 image 1…9. Centre: (½·(1+3+7+9) + (2+4+6+8)) / 6 = 30/6 = 5. Corner (0,0): (2 + 4 + ½·5) / 6 = 8.5/6
        // (the official conv2d's zero padding; the sum is still divided by 6). Edge (0,1): (1 + 3 + 5 + ½·(4+6)) / 6 = 14/6.
        float[] image = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        var filled = Noise2SelfMasks.Interpolate(image, 1, 3, 3);
        Assert.Equal(5f, filled[4], 5);
        Assert.Equal(8.5f / 6f, filled[0], 5);
        Assert.Equal(14f / 6f, filled[1], 5);

        // Only the masked pixel changes in the input; a second channel is filtered on its own.
        var mask = Noise2SelfMasks.Grid(0, 2, 2, 3, 3); // pixels (0,0), (0,2), (2,0), (2,2)
        var two = image.Concat(image.Select(v => 10 * v)).ToArray();
        var input = Noise2SelfMasks.Fill(two, mask, Noise2SelfFill.Interpolate, 2, 3, 3);
        Assert.Equal(8.5f / 6f, input[0], 5);
        Assert.Equal(85f / 6f, input[9], 4);
        Assert.Equal(5f, input[4]);
        Assert.Equal(0f, Noise2SelfMasks.Fill(two, mask, Noise2SelfFill.Zero, 2, 3, 3)[0]);
    }

    [Fact]
    public void ARandomNeighbourIsNeverThePixelItselfAndStaysInItsWindow()
    {
        var rng = new Rng(7);
        foreach (var (height, width) in new[] { (1, 2), (2, 1), (3, 3), (6, 5) })
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                    for (int k = 0; k < 200; k++)
                    {
                        var (ny, nx) = Noise2SelfMasks.Neighbour(y, x, height, width, rng);
                        Assert.False(ny == y && nx == x);
                        Assert.InRange(ny, Math.Max(0, y - 2), Math.Min(height - 1, y + 2));
                        Assert.InRange(nx, Math.Max(0, x - 2), Math.Min(width - 1, x + 2));
                    }

        // Whole draws: a picked pixel takes all its channels from one neighbour, and ineligible pixels are never picked.
        var data = Enumerable.Range(0, 2 * 8 * 8).Select(i => (float)i).ToArray();
        var (input, mask) = Noise2SelfMasks.RandomNeighbour(data, 2, 8, 8, 0.5f, rng, (py, _) => py != 3);
        for (int p = 0; p < 64; p++)
        {
            Assert.Equal(mask[p], mask[64 + p]);
            if (mask[p] == 0f) Assert.Equal(data[p], input[p]);
            else Assert.Equal(input[p] + 64, input[64 + p]); // same neighbour in both channels
            Assert.NotEqual(mask[p] != 0f, input[p] == data[p]); // a picked pixel always shows another one
        }
        Assert.All(Enumerable.Range(24, 8), p => Assert.Equal(0f, mask[p]));
        Assert.InRange(mask.Take(64).Sum(), 10, 46);
    }

    /// <summary>The official DnCNN(channels, num_of_layers=8), 64 features, no biases: 9·C·64 (first) + 6·9·64·64
    /// (middle) + 6·2·64 (BatchNorm γ, β) + 9·64·C (last) = 576 + 221,184 + 768 + 576 = 223,104 for C=1, and
    /// 1,728 + 221,184 + 768 + 1,728 = 225,408 for C=3 (PyTorch's sum(p.numel() for p in model.parameters())).</summary>
    [Fact]
    public void TheNetworkHasTheOfficialParameterCount()
    {
        Assert.Equal(223_104, new Noise2SelfNetwork(1, 8, 64, new Rng(0)).ParameterCount);
        Assert.Equal(225_408, new Noise2SelfNetwork(3, 8, 64, new Rng(0)).ParameterCount);
    }

    [Fact]
    public void ValidationKeepsTheModelWithTheLowestHeldOutLoss()
    {
        var best = new BestValidation();
        float[] losses = [0.5f, 0.3f, 0.4f, 0.3f, float.NaN, 0.35f];
        var kept = losses.Select((l, k) => best.Offer(l, _ => [[k]])).ToArray();
        Assert.Equal(new[] { true, true, false, false, false, false }, kept); // ties and NaN do not replace
        Assert.Equal(0.3f, best.Loss);
        Assert.Equal(1f, best.Kept![0][0]);

        // The network's snapshot restores its output exactly, running statistics included.
        var net = new Noise2SelfNetwork(1, 4, 8, new Rng(3));
        var x = Tensor.FromArray(Enumerable.Range(0, 64).Select(i => (i % 9) / 9f).ToArray(), 1, 1, 8, 8);
        var before = net.Evaluate(x).Data.ToArray();
        var snapshot = net.Snapshot();
        net.Forward(x); // moves the running statistics
        foreach (var p in net.Parameters()) p.Data[0] += 0.5f;
        Assert.NotEqual(before, net.Evaluate(x).Data.ToArray());
        net.Restore(snapshot);
        Assert.Equal(before, net.Evaluate(x).Data.ToArray());
    }

    /// <summary>A 64×64 grey crop with σ=25 noise, 300 steps (the 100 first are still below the noisy input at lr 0.01), 1 thread: the gain is pinned.</summary>
    [Fact]
    public void AShortRunGivesThePinnedGain()
    {
        var clean = ImageFile.Read(SharedData.PathOf("data", "Set12", "01.png")).Crop(96, 96, 64, 64);
        var noisy = NoiseSynthesis.AddGaussian(clean, 25, seed: 1);
        var result = new Denoiser(new DenoiseOptions { Method = "noise2self", Iterations = 300, Seed = 5, Threads = 1 }).Denoise(noisy);
        double before = Psnr.Compute(noisy, clean), after = Psnr.Compute(result.Output, clean);
        log.WriteLine($"Set12/01 64²: noisy {before:0.00} dB, denoised {after:0.00} dB");
        PinnedGain.Check(log, "noise2self Set12/01 64² 300 steps", after - before, -0.380, -0.408, -0.361);
        Assert.All(result.Output.Data, v => Assert.InRange(v, 0f, 1f));
    }
}
