using Hush.Denoising.Metrics;
using Xunit.Abstractions;

namespace Hush.Denoising.Tests.Contract;

/// <summary>Each method at its shipped defaults (shortened only where its descriptor says how) on the contract crop:
/// the PSNR gain over the noisy input is pinned, within ±0.3 dB, to the value measured on the SIMD path the engine
/// takes on this machine. A run is bit-deterministic for a seed, thread count and SIMD path, but the paths round
/// differently and a short Self2Self+ run lands 1.6 dB apart on AVX2 and scalar, so each path has its own
/// pin (bench/RESULTS.md, "Quality: method contract").</summary>
public class PinnedGainTests(ITestOutputHelper log)
{
    /// <summary>dB over the noisy input (20.803 dB) per SIMD path (AVX-512, AVX2, scalar), measured with this test's
    /// 1-thread runs (see <see cref="PinnedGain"/>).</summary>
    private static readonly Dictionary<string, (double Avx512, double Avx2, double Scalar)> Measured = new()
    {
        ["zs-n2n"] = (1.286, 1.218, 1.211),
        ["lota-n2n"] = (1.208, 1.185, 1.215),
        ["self2self-plus"] = (11.993, 10.378, 10.329),
        ["self2self"] = (3.794, 3.740, 3.795),
        ["blind2grad"] = (11.004, 10.668, 10.920),
        ["bm3d"] = (13.127, 13.127, 13.127),
        ["noise2fast"] = (11.003, 10.720, 10.772),
        ["noise2self"] = (8.001, 8.532, 6.529),
        ["dip"] = (4.512, 4.510, 4.529),
    };

    [Theory]
    [MemberData(nameof(ContractRuns.Methods), MemberType = typeof(ContractRuns))]
    public void TheGainAtTheShippedDefaultsIsTheMeasuredOne(string method)
    {
        Assert.True(Measured.ContainsKey(method), $"{method}: no gain pinned; run this test on each SIMD path and pin the logged values");
        var options = ContractRuns.Shipped(method);
        var output = new Denoiser(options).Denoise(ContractRuns.Noisy).Output;
        double gain = Psnr.Compute(output, ContractRuns.Clean) - Psnr.Compute(ContractRuns.Noisy, ContractRuns.Clean);
        var (avx512, avx2, scalar) = Measured[method];
        string run = ContractRuns.IsClassical(method) ? "no training" : $"{options.Iterations} iterations";
        PinnedGain.Check(log, $"{method} ({run})", gain, avx512, avx2, scalar);
    }
}
