using Hush.Denoising.Noise;
using Hush.Engine;
using Hush.Engine.Layers;
using Hush.Imaging;

namespace Hush.Denoising.Tests;

/// <summary>Blind2Grad's real-noise form: the dilated full-resolution convolution and the preset of the paper's
/// real-noise hyper-parameters (docs/methods/blind2grad.md, "Real noise").</summary>
public class Blind2GradRealNoiseTests
{
    private static readonly MethodDescriptor Descriptor = MethodRegistry.Find("blind2grad");

    private static MethodParameter Setting(string name) => Descriptor.Parameters.Single(p => p.Name == name);

    private static DenoiseOptions Options(Blind2GradOptions b, ulong seed = 42) => new()
    {
        Method = "blind2grad", Iterations = 3, Seed = seed, Threads = 2, MethodOptions = b with { Passes = 2, CycleLength = 2 },
    };

    [Fact]
    public void ThePresetSetsThePapersRealNoiseValuesAndOffRestoresTheDefaults()
    {
        var on = Setting("real-noise").Apply(new DenoiseOptions { Method = "blind2grad" }, "on");
        var b = on.OptionsOf<Blind2GradOptions>();
        Assert.Equal((true, 0.5f, 0.5f, 2), (b.RealNoise, b.Omega, b.Gamma, b.Dilation));
        Assert.Equal(1e-5f, on.EffectiveLearningRate);
        var off = Setting("real-noise").Apply(on, "off");
        Assert.Equal(new Blind2GradOptions(), off.OptionsOf<Blind2GradOptions>());
        Assert.Equal(4e-4f, off.EffectiveLearningRate);
    }

    [Fact]
    public void LaterFlagsAndAnExplicitLearningRateOverrideThePreset()
    {
        var o = Setting("real-noise").Apply(new DenoiseOptions { Method = "blind2grad", LearningRate = 3e-4f }, "on");
        Assert.Equal(3e-4f, o.EffectiveLearningRate);
        o = Setting("dilation").Apply(Setting("omega").Apply(o, "0.7"), "3");
        Assert.Equal((0.7f, 3), (o.OptionsOf<Blind2GradOptions>().Omega, o.OptionsOf<Blind2GradOptions>().Dilation));
        // The CLI applies a method's flags in the order its settings are declared.
        var names = Descriptor.Parameters.Select(p => p.Name).ToList();
        Assert.All(new[] { "omega", "gamma", "dilation" }, n => Assert.True(names.IndexOf("real-noise") < names.IndexOf(n)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(9)]
    public void DilationsOutsideOneToEightAreRefused(int d) =>
        Assert.Throws<ArgumentException>(() => new Blind2GradOptions { Dilation = d }.Validate(10));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void TheDilatedConvolutionMatchesADirectSum(int d)
    {
        const int c = 3, o = 2, h = 9, w = 7;
        const float slope = 0.1f;
        var rng = new Rng(4);
        var conv = new PaddedConv2d(c, o, 3, rng, PadMode.Zero);
        var x = Tensor.FromArray(Enumerable.Range(0, c * h * w).Select(_ => rng.NextFloat() - 0.5f).ToArray(), [1, c, h, w]);
        var y = Blind2GradNetwork.FullResolutionConv(conv, x, d).Data;
        float[] wt = conv.Weight.Data, bias = conv.Bias!.Data;
        for (int oc = 0; oc < o; oc++)
            for (int i = 0; i < h; i++)
                for (int j = 0; j < w; j++)
                {
                    double sum = bias[oc];
                    for (int ic = 0; ic < c; ic++)
                        for (int ki = 0; ki < 3; ki++)
                            for (int kj = 0; kj < 3; kj++)
                            {
                                int si = i + (ki - 1) * d, sj = j + (kj - 1) * d; // zero outside the image
                                if (si >= 0 && si < h && sj >= 0 && sj < w)
                                    sum += wt[((oc * c + ic) * 3 + ki) * 3 + kj] * x.Data[(ic * h + si) * w + sj];
                            }
                    double expected = sum > 0 ? sum : slope * sum;
                    Assert.Equal(expected, y[(oc * h + i) * w + j], 5);
                }
    }

    [Fact]
    public void TheDilatedConvolutionsGradientMatchesFiniteDifferences()
    {
        var rng = new Rng(6);
        var conv = new PaddedConv2d(2, 2, 3, rng, PadMode.Zero);
        var data = Enumerable.Range(0, 2 * 6 * 5).Select(_ => rng.NextFloat() - 0.5f).ToArray();
        var x = Tensor.Parameter((float[])data.Clone(), [1, 2, 6, 5]);
        var loss = Ops.Sum(Ops.Mul(Blind2GradNetwork.FullResolutionConv(conv, x, 2), Blind2GradNetwork.FullResolutionConv(conv, x, 2)));
        loss.Backward();
        double Loss(float[] v)
        {
            using (Autograd.NoGrad())
            {
                var y = Blind2GradNetwork.FullResolutionConv(conv, Tensor.FromArray(v, [1, 2, 6, 5]), 2).Data;
                return y.Sum(t => (double)t * t);
            }
        }
        for (int k = 0; k < data.Length; k += 7)
        {
            var plus = (float[])data.Clone();
            var minus = (float[])data.Clone();
            plus[k] += 1e-2f;
            minus[k] -= 1e-2f;
            Assert.Equal((Loss(plus) - Loss(minus)) / 2e-2, x.Grad![k], 2e-3);
        }
    }

    [Fact]
    public void DilationAndThePresetChangeTheOutputAndRepeatBitForBit()
    {
        var noisy = NoiseSynthesis.AddGaussian(UNetCrops.Crop32("Kodak24", "kodim05.png"), 25, seed: 3);
        var plain = new Denoiser(Options(new Blind2GradOptions())).Denoise(noisy).Output.Data;
        foreach (var b in new[] { new Blind2GradOptions { Dilation = 2 }, new Blind2GradOptions { RealNoise = true } })
        {
            Assert.NotEqual(plain, new Denoiser(Options(b)).Denoise(noisy).Output.Data);
            UNetCrops.AssertRepeatableAndSeeded(Options(b), noisy);
        }
    }
}
