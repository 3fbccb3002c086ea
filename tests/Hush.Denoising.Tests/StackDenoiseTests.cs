using Hush.Imaging;

namespace Hush.Denoising.Tests;

public class StackDenoiseTests
{
    private static readonly DenoiseOptions Quick = new() { Iterations = 5, Seed = 1, Threads = 1 };

    /// <summary>A stack whose planes differ (a ramp scaled per plane), so a mix-up of planes shows.</summary>
    private static ImageStack Ramp(string axes, int[] shape, SampleType type, Func<long, float> value)
    {
        long length = shape.Aggregate(1L, (a, b) => a * b);
        var data = new float[length];
        for (long i = 0; i < length; i++) data[i] = (float)type.Coerce(value(i));
        return new ImageStack(axes, shape, type, data);
    }

    [Fact]
    public void AZStackKeepsShapeAxesTypeAndEachPlanesLevel()
    {
        // Three 16-bit planes at clearly different levels: each plane must come back near its own level.
        var stack = Ramp("ZYX", [3, 20, 24], SampleType.UInt16, i => (i / (20 * 24) + 1) * 15000 + (i % 7) * 100);
        var result = new Denoiser(Quick with { Iterations = 30 }).DenoiseStack(stack);
        var output = result.Output;
        Assert.Equal(("ZYX", SampleType.UInt16), (output.Axes, output.SampleType));
        Assert.Equal(new[] { 3, 20, 24 }, output.Shape);
        Assert.Equal((3, 3), (result.Planes, result.Models));
        for (int z = 0; z < 3; z++)
        {
            double mean = output.Data.Skip(z * 480).Take(480).Average();
            Assert.InRange(mean, (z + 1) * 15000 + 300 - 2500, (z + 1) * 15000 + 300 + 2500);
        }
        Assert.All(output.Data, v => Assert.Equal(Math.Round(v), v)); // integers stay integers
    }

    [Fact]
    public void FloatPlanesOutsideTheUnitRangeAreMappedByTheirOwnMinAndMax()
    {
        var stack = Ramp("ZYX", [2, 16, 16], SampleType.Float32, i => i < 256 ? 1000 + i % 16 : -5 + (i % 16) * 0.01f);
        var output = new Denoiser(Quick with { Iterations = 20 }).DenoiseStack(stack).Output;
        var first = output.Data.Take(256).ToArray();
        var second = output.Data.Skip(256).ToArray();
        Assert.All(first, v => Assert.InRange(v, 1000f, 1015f));
        Assert.All(second, v => Assert.InRange(v, -5f, -4.85f));
        Assert.Equal(SampleType.Float32, output.SampleType);
    }

    [Fact]
    public void FourChannelsAreDenoisedTogetherAndSixOneByOne()
    {
        var four = new StackPlanes(Ramp("ZCYX", [2, 4, 8, 8], SampleType.UInt8, i => i % 200));
        Assert.Equal((2, 4), (four.Count, four.Channels));
        var six = new StackPlanes(Ramp("CYX", [6, 8, 8], SampleType.UInt8, i => i % 200));
        Assert.Equal((6, 1), (six.Count, six.Channels));
        Assert.Equal("C=5", six.Describe(5));
        var rgba = new StackPlanes(Ramp("YXS", [8, 8, 4], SampleType.UInt8, i => i % 200));
        Assert.Equal((1, 3), (rgba.Count, rgba.Channels)); // S = 4 is RGB + alpha
    }

    [Fact]
    public void AlphaSamplesAreCarriedThroughUntouched()
    {
        var stack = Ramp("YXS", [10, 12, 2], SampleType.UInt16, i => i % 2 == 1 ? (i * 37) % 65535 : 30000);
        var output = new Denoiser(Quick).DenoiseStack(stack).Output;
        for (int i = 1; i < stack.Data.Length; i += 2)
            Assert.Equal(stack.Data[i], output.Data[i]);
    }

    [Fact]
    public void ReadThenWriteWithoutDenoisingGivesTheSamplesBack()
    {
        foreach (var type in new[] { SampleType.UInt8, SampleType.UInt16, SampleType.Int16, SampleType.Float32 })
        {
            var stack = Ramp("TYXC", [2, 5, 6, 3], type, i => type == SampleType.Int16 ? i * 50 - 3000 : i % 250);
            var planes = new StackPlanes(stack);
            for (int p = 0; p < planes.Count; p++) planes.Write(p, planes.Read(p));
            var back = planes.ToStack().Data;
            if (type.IsInteger())
                Assert.Equal(stack.Data, back);
            else // floats outside [0,1] go through (v − min)/(max − min) and back: float rounding only
                Assert.All(stack.Data.Zip(back), p => Assert.Equal(p.First, p.Second, 1e-4f));
        }
    }

    [Fact]
    public void OverwritingTheInputGivesTheSameOutputInTheInputsArray()
    {
        var stack = Ramp("ZYX", [3, 10, 10], SampleType.UInt16, i => (i * 7919) % 60000);
        var copy = new Denoiser(Quick).DenoiseStack(stack).Output;
        var inPlace = new Denoiser(Quick).DenoiseStack(stack, overwriteInput: true).Output;
        Assert.Same(stack.Data, inPlace.Data);
        Assert.Equal(copy.Data, inPlace.Data);
    }

    [Fact]
    public void NonFiniteSamplesAreRefusedNamingThePlane()
    {
        var stack = Ramp("ZYX", [2, 4, 4], SampleType.Float32, i => i == 20 ? float.NaN : 0.5f);
        var e = Assert.Throws<ImageFormatException>(() => new Denoiser(Quick).DenoiseStack(stack));
        Assert.Contains("Z=1", e.Message);
        Assert.Contains("NaN", e.Message);
    }

    [Fact]
    public void OneSharedModelTrainsOnEvenlySpacedPlanesAndDenoisesAll()
    {
        Assert.Equal(new[] { 0, 5, 9 }, Denoiser.TrainingPlanes(10, 3));
        Assert.Equal(new[] { 2 }, Denoiser.TrainingPlanes(5, 1));
        Assert.Equal(new[] { 0, 1 }, Denoiser.TrainingPlanes(2, 8));

        var stack = Ramp("ZYX", [4, 12, 12], SampleType.UInt8, i => (i * 7919) % 256);
        var shared = new Denoiser(Quick with { TrainPlanes = 2 }).DenoiseStack(stack);
        Assert.Equal((4, 1), (shared.Planes, shared.Models));
        var perPlane = new Denoiser(Quick).DenoiseStack(stack);
        Assert.NotEqual(shared.Output.Data, perPlane.Output.Data);

        // One shared model applied to two equal planes gives equal outputs.
        var twins = Ramp("ZYX", [2, 12, 12], SampleType.UInt8, i => (i % 144 * 7919) % 256);
        var twinsOut = new Denoiser(Quick with { TrainPlanes = 1 }).DenoiseStack(twins).Output.Data;
        Assert.Equal(twinsOut.Take(144), twinsOut.Skip(144));
    }

    [Fact]
    public void ASharedModelNeedsAMethodThatSeparatesTrainingFromInference()
    {
        var e = Assert.Throws<ArgumentException>(() => new Denoiser(Quick with { Method = "self2self", TrainPlanes = 2 }));
        Assert.Contains("train-planes", e.Message);
        // LoTA-N2N shares one model too: its stage 2 computes the frozen proxies for each step's plane.
        var stack = Ramp("ZYX", [3, 12, 12], SampleType.UInt8, i => (i * 37) % 256);
        var lota = Quick with { Method = "lota-n2n", TrainPlanes = 2, MethodOptions = new LotaN2NOptions { FineTuneIterations = 2 } };
        var a = new Denoiser(lota).DenoiseStack(stack).Output.Data;
        Assert.Equal(a, new Denoiser(lota).DenoiseStack(stack).Output.Data);
    }
}
