using Hush.Denoising.Quality;
using Hush.Denoising.Quality.PaQ2PiQ;
using Hush.Engine;

namespace Hush.Denoising.Tests;

/// <summary>
/// PaQ-2-PiQ against PyTorch. Fixtures/paq2piq was written by <c>tools/paq2piq/reference.py</c> (plain torch, the same
/// architecture at base width 4 and head width 32, random weights with non-trivial BatchNorm statistics, a 70×100
/// image so the RoI bins overlap): our score and d score / d image must match PyTorch's float64 numbers. A full-size
/// fixture (reference.py --width 64 --hidden 512) is checked too when HUSH_PAQ2PIQ_FIXTURE names its folder (44 MB of
/// weights: not committed; CI has no torch).
/// </summary>
public class PaQ2PiQTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "paq2piq", name);

    /// <summary>Our score and input gradient against PyTorch's float64 ones: the score's relative error, the largest
    /// gradient error relative to the largest gradient entry, and the gradient's relative L2 error.</summary>
    private static (double Score, double GradMax, double GradL2) Errors(string folder)
    {
        var model = PaQ2PiQModel.Load(Path.Combine(folder, "weights.htf"));
        var expected = TensorFile.Read(Path.Combine(folder, "expected.htf"));
        int[] shape = expected.ShapeOf("input", 4);
        float score = expected.Require("score", 1)[0];
        float[] grad = expected.Require("grad", shape);

        var x = Tensor.Parameter((float[])expected.Require("input", shape).Clone(), shape);
        var s = model.Score(x);
        Assert.Equal(new[] { 1, 1, 1, 1 }, s.Shape);
        s.Backward();
        double diff2 = 0, norm2 = 0, worst = 0;
        for (int i = 0; i < grad.Length; i++)
        {
            double d = Math.Abs(grad[i] - (double)x.Grad![i]);
            worst = Math.Max(worst, d);
            diff2 += d * d;
            norm2 += (double)grad[i] * grad[i];
        }

        return (Math.Abs(s.Item() - score) / Math.Max(1.0, Math.Abs(score)), worst / grad.Max(v => Math.Abs((double)v)), Math.Sqrt(diff2 / norm2));
    }

    /// <summary>Tolerances: score 1e-5 relative, every gradient entry within 1e-4 of the largest (float32 against
    /// float64 through about 20 layers; measured 2.7e-7 and 3.4e-7). This seed has no near-ties among the maxima.</summary>
    [Fact]
    public void ScoreAndInputGradientMatchPyTorch()
    {
        var (score, gradMax, gradL2) = Errors(Path.GetDirectoryName(Fixture("weights.htf"))!);
        output.WriteLine($"PaQ-2-PiQ width 4: relative score error {score:g3}, gradient error {gradMax:g3} of max, relative L2 {gradL2:g3}");
        Assert.True(score <= 1e-5, $"relative score error {score:g3}");
        Assert.True(gradMax <= 1e-4, $"input gradient differs from PyTorch's by {gradMax:g3} of its largest entry");
    }

    /// <summary>Opt-in: the README's test command and CI filter this category out, since the fixture is not in the
    /// repository. Run with the fixture named: <c>HUSH_PAQ2PIQ_FIXTURE=DIR dotnet test tests/Hush.Denoising.Tests -c Release
    /// --filter Category=OptionalFixture</c>; without it the test reports itself skipped rather than passed.</summary>
    [SkippableFact]
    [Trait("Category", "OptionalFixture")]
    public void FullSizeModelMatchesPyTorchWhenAFixtureIsGiven()
    {
        string? folder = Environment.GetEnvironmentVariable("HUSH_PAQ2PIQ_FIXTURE");
        Skip.If(string.IsNullOrEmpty(folder),
            "HUSH_PAQ2PIQ_FIXTURE is not set: the full-size PaQ-2-PiQ fixture (tools/paq2piq/reference.py DIR --width 64 --hidden 512 --height 256 --image-width 256) was not checked");
        var (score, gradMax, gradL2) = Errors(folder!);
        output.WriteLine($"PaQ-2-PiQ full size: relative score error {score:g3}, gradient error {gradMax:g3} of max, relative L2 {gradL2:g3}");
        Assert.True(score <= 1e-5, $"relative score error {score:g3}");
        // A maximum that float32 and float64 pick differently (a near-tie) moves gradient between inputs: at seed 2,
        // 200×304, PyTorch's own float32 gradient differs from its float64 one by 3.5 % of the largest entry (0.41 %
        // relative L2), and ours by the same amounts. So only the L2 error is bounded here.
        Assert.True(gradL2 <= 0.02, $"input gradient's relative L2 error {gradL2:g3}");
    }

    [Fact]
    public void QualityTermIsLambdaTimesTheSquaredGapTo100AndReachesTheImage()
    {
        var term = PaQ2PiQQualityTerm.Load(Fixture("weights.htf"), weight: 0.5f);
        var expected = TensorFile.Read(Fixture("expected.htf"));
        int[] shape = expected.ShapeOf("input", 4);
        var x = Tensor.Parameter((float[])expected.Require("input", shape).Clone(), shape);
        float s = term.Score(x).Item();
        var loss = term.Loss(x);
        Assert.Equal(new[] { 1 }, loss.Shape);
        Assert.Equal(0.5 * (100 - s) * (100 - s), loss.Item(), 3);
        loss.Backward();
        // d/dx λ(100 − s)² = −2λ(100 − s)·ds/dx
        float[] grad = expected.Require("grad", shape);
        double scale = grad.Max(v => Math.Abs((double)v)) * Math.Abs(100 - s);
        for (int i = 0; i < grad.Length; i++)
            Assert.True(Math.Abs(x.Grad![i] - (-(100 - s) * grad[i])) <= 1e-4 * scale, $"element {i}");

        // Grey images are scored as RGB with equal channels.
        var grey = Tensor.FromArray(expected.Require("input", shape).Take(shape[2] * shape[3]).ToArray(), 1, 1, shape[2], shape[3]);
        var rgb = Ops.ConcatChannels(grey, grey, grey);
        Assert.Equal(term.Score(rgb).Item(), term.Score(grey).Item());
        Assert.Throws<ArgumentException>(() => term.Score(Tensor.Zeros(1, 2, 32, 32)));
    }

    [Fact]
    public void BadWeightFilesFailInOneLineNamingTheFileAndTensor()
    {
        var dir = Directory.CreateTempSubdirectory("hush-paq-");
        try
        {
            var good = TensorFile.Read(Fixture("weights.htf"));
            var tensors = good.Names.Select(n => (n, good.ShapeOf(n), good.Require(n, good.ShapeOf(n)))).ToList();

            string missing = Path.Combine(dir.FullName, "missing.htf");
            TensorFile.Write(missing, tensors.Where(t => t.n != "body.5.0.bn2.running_var"));
            var e = Assert.Throws<InvalidDataException>(() => PaQ2PiQModel.Load(missing));
            Assert.Equal($"{missing}: tensor 'body.5.0.bn2.running_var' is missing", e.Message);

            string misShaped = Path.Combine(dir.FullName, "shape.htf");
            TensorFile.Write(misShaped, tensors.Select(t => t.n == "head.4.bias" ? (t.n, [31], new float[31]) : t));
            e = Assert.Throws<InvalidDataException>(() => PaQ2PiQModel.Load(misShaped));
            Assert.Equal($"{misShaped}: tensor 'head.4.bias' has shape [31], expected [32]", e.Message);

            string truncated = Path.Combine(dir.FullName, "cut.htf");
            byte[] bytes = File.ReadAllBytes(Fixture("weights.htf"));
            File.WriteAllBytes(truncated, bytes[..(bytes.Length - 10)]);
            e = Assert.Throws<InvalidDataException>(() => PaQ2PiQModel.Load(truncated));
            Assert.StartsWith($"{truncated}: truncated", e.Message);

            string notOurs = Path.Combine(dir.FullName, "model.pth");
            File.WriteAllBytes(notOurs, [0x50, 0x4b, 3, 4, .. new byte[40]]);
            e = Assert.Throws<InvalidDataException>(() => PaQ2PiQModel.Load(notOurs));
            Assert.Contains("not a Hush tensor file", e.Message);
            Assert.DoesNotContain('\n', e.Message);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>Records what Self2Self+ hands the term and what the term returns.</summary>
    private sealed class Recording(INoReferenceQualityTerm inner) : INoReferenceQualityTerm
    {
        public List<(int[] Shape, float Loss)> Calls { get; } = [];

        public Tensor Loss(Tensor output)
        {
            var loss = inner.Loss(output);
            Calls.Add((output.Shape, loss.Item()));
            return loss;
        }
    }

    [Fact]
    public void SelfToSelfPlusAddsTheTermOnTheOutputCroppedToTheImage()
    {
        var noisy = Hush.Imaging.ImageFile.Read(Hush.Testing.SharedData.PathOf("data", "Kodak24", "kodim03.png")).Crop(100, 100, 40, 36);
        var options = new DenoiseOptions
        {
            Method = "self2self-plus", Iterations = 1, Seed = 3, Threads = 2, MethodOptions = new Self2SelfPlusOptions { Passes = 1 },
        };
        var term = new Recording(PaQ2PiQQualityTerm.Load(Fixture("weights.htf"), weight: 1e-3f));
        var off = new Denoiser(options).Denoise(noisy);
        var on = new Denoiser(options, new Self2SelfPlusMethod { QualityTerm = term }).Denoise(noisy);
        var (shape, loss) = Assert.Single(term.Calls);
        Assert.Equal(new[] { 1, 3, 36, 40 }, shape); // the 64×64 padded output, cropped back
        Assert.True(loss > 0.1f, $"term {loss}");
        Assert.Equal(off.FinalLoss + loss, on.FinalLoss, 4);
    }
}
