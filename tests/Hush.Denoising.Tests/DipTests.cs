using Hush.Denoising.Metrics;
using Hush.Denoising.Noise;
using Hush.Engine;
using Hush.Imaging;
using Hush.Testing;
using Xunit.Abstractions;

namespace Hush.Denoising.Tests;

public class DipTests(ITestOutputHelper log)
{
    /// <summary>
    /// The official skip net for the notebook's colour setting (input 32, output 3, down = up = 128, skip = 4, five
    /// scales, biases, 1×1 up-convolutions), counted from skip.py's layers. BatchNorm has γ and β per channel.
    /// Scale 0 (input depth 32):
    ///   skip conv1×1 32→4: 32·4 + 4 = 132; BN(4): 8
    ///   stride-2 conv3×3 32→128: 32·128·9 + 128 = 36,992; BN(128): 256
    ///   conv3×3 128→128: 128·128·9 + 128 = 147,584; BN(128): 256
    ///   BN(4 + 128) after the concatenation: 264
    ///   conv3×3 132→128: 132·128·9 + 128 = 152,192; BN(128): 256
    ///   conv1×1 128→128: 128·128 + 128 = 16,512; BN(128): 256
    ///   sum 354,708
    /// Scales 1–4 (input depth 128): the same but skip conv 128·4 + 4 = 516 and stride-2 conv 147,584: 465,684 each.
    /// Output conv1×1 128→3: 128·3 + 3 = 387.
    /// Total 354,708 + 4·465,684 + 387 = 2,217,831.
    /// </summary>
    [Fact]
    public void TheNetworkHasTheOfficialSkipNetsParameterCount()
    {
        Assert.Equal(2_217_831, new DipNetwork(32, 3, new Rng(1)).ParameterCount);
    }

    /// <summary>The stride-2 convolution's shortcut (mirrored stride-1 3×3, then even pixels) equals PyTorch's
    /// ReflectionPad2d(1) followed by a stride-2 convolution.</summary>
    [Fact]
    public void StrideTwoByEvenPixelsIsTheMirroredStridedConvolution()
    {
        var rng = new Rng(3);
        var conv = new Hush.Engine.Layers.PaddedConv2d(5, 7, 3, rng, PadMode.Reflect);
        var data = new float[2 * 5 * 12 * 10];
        for (int i = 0; i < data.Length; i++) data[i] = rng.NextFloat();
        var x = Tensor.FromArray(data, 2, 5, 12, 10);
        var fast = Ops.MaxPool2d(conv.Forward(x), 1, 2, 0);
        var direct = Ops.Conv2d(Ops.Pad2d(x, 1, PadMode.Reflect), conv.Weight, conv.Bias, stride: 2);
        Assert.Equal(direct.Shape, fast.Shape);
        for (int i = 0; i < fast.Length; i++) Assert.Equal(direct.Data[i], fast.Data[i], 4);
    }

    [Fact]
    public void TheAverageStartsAtTheFirstOutputThenWeighsThePastByTheEma()
    {
        var average = new DipAverage(2, 0.75f);
        average.Add([0.2f, 0.8f]);
        Assert.Equal([0.2f, 0.8f], average.Snapshot());
        average.Add([1f, 0f]);
        Assert.Equal(new[] { 0.4f, 0.6f }, average.Snapshot(), (a, b) => Math.Abs(a - b) < 1e-6f);
    }

    /// <summary>The notebook's rule on one weight: step 0 is never checked; a drop of more than 5 dB restores the weights
    /// saved at the last good step and is not counted; a smaller drop saves; multiples of 100 are skipped.</summary>
    [Fact]
    public void BacktrackingRestoresTheLastSavedWeightsAfterADropOfMoreThanFiveDb()
    {
        var weight = Tensor.Parameter([1f], 1);
        var rule = new DipBacktracking([weight], 5f);
        Assert.False(rule.AfterStep(30));  // counted 0: a plotting step, nothing saved
        Assert.False(rule.AfterStep(20));  // counted 1: saved (weight 1, 20 dB)
        weight.Data[0] = 2f;
        Assert.True(rule.AfterStep(14.9)); // 5.1 dB down: back to 1, not counted
        Assert.Equal(1f, weight.Data[0]);
        Assert.Equal((2, 1), (rule.Counted, rule.Rollbacks));
        weight.Data[0] = 3f;
        Assert.False(rule.AfterStep(15.5)); // 4.5 dB down: saved (weight 3, 15.5 dB)
        while (rule.Counted < DipBacktracking.Interval) Assert.False(rule.AfterStep(15.5));
        weight.Data[0] = 4f;
        Assert.False(rule.AfterStep(0));    // counted 100: unchecked
        Assert.True(rule.AfterStep(0));     // counted 101: checked against 15.5 dB
        Assert.Equal(3f, weight.Data[0]);
    }

    [Theory]
    [InlineData(1, 64)]
    [InlineData(37, 64)]
    [InlineData(64, 64)]
    [InlineData(65, 96)]
    [InlineData(128, 128)]
    [InlineData(481, 512)]
    public void TheCanvasIsTheNextMultipleOf32AtLeast64(int side, int canvas) => Assert.Equal(canvas, DipMethod.PaddedSide(side));

    /// <summary>Odd sides and one channel: the output has the input's shape, inside [0, 1].</summary>
    [Fact]
    public void OddSizesAndGreyImagesKeepTheirShape()
    {
        var grey = new Image(19, 33, 1, Enumerable.Range(0, 19 * 33).Select(i => (i * 37 % 101) / 100f).ToArray());
        var result = new Denoiser(new DenoiseOptions { Method = "dip", Iterations = 2, Seed = 1, Threads = 2 }).Denoise(grey);
        Assert.Equal((19, 33, 1), (result.Output.Width, result.Output.Height, result.Output.Channels));
        Assert.All(result.Output.Data, v => Assert.InRange(v, 0f, 1f));
    }

    /// <summary>A 64×64 colour crop with σ=25 noise, 150 steps (a twentieth of the default), 2 threads: the gain is pinned.</summary>
    [Fact]
    public void AShortRunGivesThePinnedGain()
    {
        var clean = ImageFile.Read(SharedData.PathOf("data", "Kodak24", "kodim03.png")).Crop(96, 96, 64, 64);
        var noisy = NoiseSynthesis.AddGaussian(clean, 25, seed: 1);
        var result = new Denoiser(new DenoiseOptions { Method = "dip", Iterations = 150, Seed = 5, Threads = 2 }).Denoise(noisy);
        double before = Psnr.Compute(noisy, clean), after = Psnr.Compute(result.Output, clean);
        log.WriteLine($"dip kodim03 64²: noisy {before:0.00} dB, denoised {after:0.00} dB, gain {after - before:0.000} dB");
        PinnedGain.Check(log, "dip Kodak24/kodim03 64², 150 steps", after - before, 1.968, 1.900, 1.823);
    }
}
