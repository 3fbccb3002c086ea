using Hush.Denoising.Noise;
using Hush.Denoising.Tests.Contract;
using Hush.Imaging;

namespace Hush.Denoising.Tests;

/// <summary>Model files: every way a file can be wrong is one line naming it; applying checks the channel count;
/// a stack's planes denoised by a saved model equal the shared-model run that trained it; async runs at once equal
/// their solo runs; the learning rate is refused where there is none.</summary>
public class ModelFileTests
{
    private static DenoiseModel Trained(int iterations = 4) =>
        new Denoiser(new DenoiseOptions { Iterations = iterations, Seed = 5, Threads = 1 }).Denoise(ContractRuns.Noisy).Model!;

    private static byte[] Bytes(DenoiseModel model)
    {
        var stream = new MemoryStream();
        model.Save(stream);
        return stream.ToArray();
    }

    private static string LoadError(byte[] bytes) =>
        Assert.Throws<InvalidDataException>(() => DenoiseModel.Load(new MemoryStream(bytes), "m.hushmodel")).Message;

    [Fact]
    public void ACorruptFileIsRefusedInOneLineNamingTheFileAndTheProblem()
    {
        byte[] good = Bytes(Trained());
        var magic = (byte[])good.Clone();
        magic[0] = (byte)'X';
        Assert.Equal("m.hushmodel: not a Hush model file (no HUSHMODL magic)", LoadError(magic));
        var version = (byte[])good.Clone();
        version[8] = 9;
        Assert.Equal("m.hushmodel: model format version 9; this Hush reads version 1", LoadError(version));
        Assert.StartsWith("m.hushmodel: truncated in tensor param.", LoadError(good[..^10]));
        Assert.Equal("m.hushmodel: unexpected bytes after the last tensor", LoadError([.. good, 0]));
        foreach (string message in new[] { LoadError(magic), LoadError(good[..^10]) }) Assert.DoesNotContain('\n', message);
    }

    [Fact]
    public void AnotherMethodOrShapeOrChannelCountIsRefused()
    {
        string header = System.Text.Encoding.UTF8.GetString(Bytes(Trained()));
        byte[] Edited(string from, string to)
        {
            var bytes = Bytes(Trained());
            int at = header.IndexOf(from, StringComparison.Ordinal);
            Assert.True(at > 0 && from.Length == to.Length);
            System.Text.Encoding.UTF8.GetBytes(to).CopyTo(bytes, at);
            return bytes;
        }

        Assert.Equal("m.hushmodel: method dip makes no reusable model", LoadError(Edited("\"zs-n2n\"", "\"dip\"   ")));
        Assert.Equal("m.hushmodel: tensor param.0 has shape [48,3,3,3], a zs-n2n network with 1 channels needs [48,1,3,3]",
            LoadError(Edited("\"channels\": 3", "\"channels\": 1")));
        Assert.Contains("unknown method 'zs-n3n'", LoadError(Edited("\"zs-n2n\"", "\"zs-n3n\"")));
    }

    [Fact]
    public void ApplyingToAnImageWithAnotherChannelCountIsRefused()
    {
        var grey = new Image(8, 8, 1, new float[64]);
        var e = Assert.Throws<ArgumentException>(() => new Denoiser().Apply(Trained(), grey));
        Assert.Equal("the model (zs-n2n) takes 3 colour channels, the image has 1", e.Message);
    }

    [Fact]
    public void AModelSavedToAPathLoadsBackAndTheSaveIsAtomic()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "zs.hushmodel");
        var model = Trained();
        model.Save(path);
        model.Save(path); // over an existing file
        Assert.Equal(new[] { "zs.hushmodel" }, Directory.GetFiles(dir.Path).Select(Path.GetFileName)); // no temporary left
        Assert.Equal(Bytes(model), File.ReadAllBytes(path));
        Assert.Equal(model.ParameterCount, DenoiseModel.Load(path).ParameterCount);
    }

    [Fact]
    public void ASavedModelOnTheOtherPlanesGivesTheSharedModelRunsOutput()
    {
        var planes = Enumerable.Range(0, 3).Select(k => NoiseSynthesis.AddGaussian(ContractRuns.Clean, 25, seed: (ulong)(20 + k))).ToArray();
        var data = planes.SelectMany(p => p.Data).ToArray();
        var stack = new ImageStack("ZCYX", [3, 3, 32, 32], SampleType.Float32, data);
        var options = new DenoiseOptions { Iterations = 6, Seed = 8, Threads = 2, TrainPlanes = 1 };
        var shared = new Denoiser(options).DenoiseStack(stack);
        var applied = new Denoiser(new DenoiseOptions { Threads = 2 }).ApplyStack(shared.Model!, stack);
        Assert.Equal(shared.Output.Data, applied.Output.Data);
        Assert.Equal((3, 1), (applied.Planes, applied.Models));
    }

    [Fact]
    public async Task TwoAsyncDenoisesAtOnceEqualTheirSoloRuns()
    {
        var a = new Denoiser(new DenoiseOptions { Iterations = 5, Seed = 1, Threads = 1 });
        var b = new Denoiser(new DenoiseOptions { Method = "self2self", Iterations = 2, Seed = 2, Threads = 2, MethodOptions = new Self2SelfOptions { Passes = 2 } });
        var soloA = a.Denoise(ContractRuns.Noisy).Output.Data;
        var soloB = b.Denoise(ContractRuns.Noisy).Output.Data;
        var both = await Task.WhenAll(a.DenoiseAsync(ContractRuns.Noisy), b.DenoiseAsync(ContractRuns.Noisy));
        Assert.Equal(soloA, both[0].Output.Data);
        Assert.Equal(soloB, both[1].Output.Data);
        Assert.Equal(a.Options, both[0].Options);
        Assert.Equal((1UL, 1), (both[0].Seed, both[0].Threads));
    }

    [Fact]
    public async Task TheStreamOverloadReadsAFileFromOneStreamAndWritesTheResultToAnother()
    {
        using var dir = new TempDir();
        string input = Path.Combine(dir.Path, "in.png");
        ImageFile.Write(ContractRuns.Noisy, input);
        var denoiser = new Denoiser(new DenoiseOptions { Iterations = 3, Seed = 1, Threads = 1 });
        using var output = new MemoryStream();
        await using (var source = File.OpenRead(input)) await denoiser.DenoiseAsync(source, output, ".png");
        string viaPath = Path.Combine(dir.Path, "out.png");
        await denoiser.DenoiseFileAsync(input, viaPath);
        Assert.Equal(File.ReadAllBytes(viaPath), output.ToArray());
    }

    [Fact]
    public void ALearningRateIsRefusedByAMethodWithout()
    {
        var e = Assert.Throws<ArgumentException>(() => new Denoiser(new DenoiseOptions { Method = "bm3d", LearningRate = 0.1f }));
        Assert.Equal("method bm3d trains nothing, so it takes no learning rate", e.Message);
    }
}
