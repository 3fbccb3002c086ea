using Hush.Denoising.Noise;
using Hush.Imaging;
using Hush.Testing;

namespace Hush.Denoising.Tests;

/// <summary>DenoiseOptions.CheckpointEvery: interim results come every N steps (never after the last) and leave the
/// final result bit-identical.</summary>
public class CheckpointTests
{
    private static Image Noisy() =>
        NoiseSynthesis.AddGaussian(ImageFile.Read(SharedData.PathOf("data", "Kodak24", "kodim03.png")).Crop(112, 112, 32, 32), 25, 1);

    [Theory]
    [InlineData("self2self-plus")]
    [InlineData("self2self")]
    [InlineData("zs-n2n")]
    [InlineData("lota-n2n")]
    public void CheckpointsComeEveryNStepsAndDoNotChangeTheResult(string method)
    {
        var noisy = Noisy();
        var seen = new List<DenoiseCheckpoint>();
        var options = new DenoiseOptions
        {
            Method = method, Iterations = 5, Seed = 4, Threads = 2, CheckpointPasses = 2,
            MethodOptions = method switch
            {
                "self2self-plus" => new Self2SelfPlusOptions { Passes = 2 },
                "self2self" => new Self2SelfOptions { Passes = 2 },
                "lota-n2n" => new LotaN2NOptions { FineTuneIterations = 2 },
                _ => null,
            },
        };
        var plain = new Denoiser(options).Denoise(noisy);
        var with = new Denoiser(options with { CheckpointEvery = 2, OnCheckpoint = seen.Add }).Denoise(noisy);

        Assert.Equal(plain.Output.Data, with.Output.Data);
        Assert.Equal(plain.FinalLoss, with.FinalLoss);
        Assert.Equal(new[] { 2, 4 }, seen.Select(c => c.Iteration));
        foreach (var c in seen)
        {
            Assert.Equal((5, 0, 32, 32, 3), (c.Iterations, c.PlaneIndex, c.Plane.Width, c.Plane.Height, c.Plane.Channels));
            Assert.Null(c.Stack);
            Assert.All(c.Plane.Data, v => Assert.InRange(v, 0f, 1f));
        }

        Assert.NotEqual(seen[0].Plane.Data, seen[1].Plane.Data); // the model moved between them
    }

    [Fact]
    public void StackCheckpointsCarryTheWholeStackAsItStands()
    {
        var noisy = Noisy();
        var stack = ImageStack.FromImage(noisy);
        var seen = new List<(int Plane, int Iteration, float[] Samples)>();
        var options = new DenoiseOptions
        {
            Method = "zs-n2n", Iterations = 3, Seed = 4, Threads = 2, CheckpointEvery = 2,
            OnCheckpoint = c => seen.Add((c.PlaneIndex, c.Iteration, (float[])c.Stack!.Data.Clone())),
        };
        var result = new Denoiser(options).DenoiseStack(stack);
        var (plane, iteration, samples) = Assert.Single(seen);
        Assert.Equal((0, 2), (plane, iteration));
        Assert.Equal(result.Output.Data.Length, samples.Length);
        Assert.NotEqual(result.Output.Data, samples); // one more step went into the final result
    }
}
