using Hush.Denoising.Inference;
using Hush.Denoising.Noise;
using Hush.Denoising.Training;
using Hush.Engine;
using Hush.Imaging;
using Hush.Testing;

namespace Hush.Denoising.Tests;

public class TilingTests(Xunit.Abstractions.ITestOutputHelper log)
{
    private static Image Noisy(int width, int height, int channels = 3)
    {
        var crop = ImageFile.Read(SharedData.PathOf("data", "Kodak24", "kodim05.png")).Crop(30, 40, width, height);
        var image = channels == 1 ? new Image(width, height, 1, crop.Plane(1).ToArray()) : crop;
        return NoiseSynthesis.AddGaussian(image, 25, seed: 4);
    }

    private static ITrainedModel TrainedModel(Image image, int iterations = 10)
    {
        var context = new TrainingContext(new DenoiseOptions { Iterations = iterations, Seed = 3, Threads = 1 }, 3, null, default);
        return new ZsN2NMethod().Train(new TrainingSource(image), context, out _);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(13)]
    [InlineData(32)]
    public void TiledInferenceEqualsTheWholeImagePassForTilesThatDoNotDivideTheImage(int tile)
    {
        var image = Noisy(45, 38);
        var model = TrainedModel(image);
        var arena = new TensorArena();
        float[] whole = TiledInference.Run(model, image, int.MaxValue, arena);
        float[] tiled = TiledInference.Run(model, image, tile, arena);
        float worst = MaxDifference(whole, tiled);
        Assert.True(worst < 1e-5f, $"tile {tile}: max |tiled − whole| = {worst}");
    }

    [Fact]
    public void AHaloNarrowerThanTheReceptiveRadiusShowsSeams()
    {
        // The check above must be able to fail: with radius 1 instead of ZS-N2N's 2 the tile borders differ.
        var image = Noisy(30, 30);
        var model = TrainedModel(image, iterations: 30);
        var arena = new TensorArena();
        float[] whole = TiledInference.Run(model, image, int.MaxValue, arena);
        float[] tiled = TiledInference.Run(new NarrowHalo(model), image, 10, arena);
        Assert.True(MaxDifference(whole, tiled) > 1e-4f);
    }

    [Fact]
    public void ZsN2NDeclaresTheRadiusOfItsTwoThreeByThreeLayers() => Assert.Equal(2, new ZsN2NMethod().ReceptiveRadius);

    [Fact]
    public void PatchTrainingIsChosenWhenTheWholeImageStepExceedsTheBudgetAndIsRepeatable()
    {
        var image = Noisy(96, 80, channels: 1);
        long budget = 96 * 80 * MemoryPlan.TrainingBytesPerPixel / 2; // a whole-image step does not fit
        var plan = MemoryPlan.For(96, 80, 1, budget, patchSize: 32, radius: 2);
        Assert.Equal(32, plan.TrainingPatch);
        Assert.Equal(int.MaxValue, MemoryPlan.For(96, 80, 1, 1L << 30, 32, 2).InferenceTile);

        var options = new DenoiseOptions { Iterations = 60, Seed = 9, Threads = 1, MemoryBudget = budget, PatchSize = 32 };
        var a = new Denoiser(options).Denoise(image);
        var b = new Denoiser(options).Denoise(image);
        // Bit-identical: same seed and threads, same patches, same tiles (each denoise runs in its own engine context,
        // so tests running in parallel cannot change its thread count).
        Assert.Equal(a.Output.Data, b.Output.Data);
        var whole = new Denoiser(options with { MemoryBudget = 1L << 30 }).Denoise(image);
        Assert.True(MaxDifference(a.Output.Data, whole.Output.Data) > 1e-3f); // the patches really changed the training
    }

    [Fact]
    public void PatchTrainingStillDenoises()
    {
        var clean = ImageFile.Read(SharedData.PathOf("data", "Set12", "08.png")).Crop(64, 64, 96, 96);
        var noisy = NoiseSynthesis.AddGaussian(clean, 25, seed: 2);
        long budget = 96 * 96 * MemoryPlan.TrainingBytesPerPixel / 2;
        var result = new Denoiser(new DenoiseOptions { Iterations = 300, Seed = 5, Threads = 2, MemoryBudget = budget, PatchSize = 48 })
            .Denoise(noisy);
        double gain = Metrics.Psnr.Compute(result.Output, clean) - Metrics.Psnr.Compute(noisy, clean);
        PinnedGain.Check(log, "zs-n2n patches", gain, avx512: 9.331, avx2: 9.322, scalar: 9.339);
    }

    [Fact]
    public void ASmallBudgetTilesInference()
    {
        var plan = MemoryPlan.For(8192, 8192, 1, 2L << 30, 512, 2);
        Assert.Equal(512, plan.TrainingPatch);
        Assert.InRange(plan.InferenceTile, 64, 512);
        // A big budget does not make tiles bigger than the training patch (they would only hold more memory).
        Assert.Equal(512, MemoryPlan.For(8192, 8192, 1, 12L << 30, 512, 2).InferenceTile);
        Assert.Equal(int.MaxValue, MemoryPlan.For(256, 256, 3, 12L << 30, 512, 2).InferenceTile);
    }

    private static float MaxDifference(float[] a, float[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Max();

    private sealed class NarrowHalo(ITrainedModel inner) : ITrainedModel
    {
        public int ReceptiveRadius => 1;
        public IReadOnlyList<Tensor> Parameters => inner.Parameters;
        public Tensor Apply(Tensor x) => inner.Apply(x);
    }
}
