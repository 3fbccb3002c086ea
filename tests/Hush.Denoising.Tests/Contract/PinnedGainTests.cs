using Hush.Denoising.Metrics;
using Xunit.Abstractions;

namespace Hush.Denoising.Tests.Contract;

/// <summary>Each method at its shipped defaults (shortened only where its descriptor says how) on the contract crop:
/// the PSNR gain over the noisy input is pinned, within ±0.3 dB, to the value measured on the SIMD path the engine
/// takes on this machine. A run is bit-deterministic for a seed, thread count and SIMD path, but the paths round
/// differently and a short Self2Self+ run lands 1.6 dB apart on
/// AVX2 and scalar, so each path has its own pin (bench/RESULTS.md, "Quality: method contract").</summary>
public class PinnedGainTests(ITestOutputHelper log)
{
    /// <summary>dB over the noisy input (20.803 dB), measured with this test's 1-thread runs: AVX-512 by default,
    /// AVX2 with DOTNET_EnableAVX512=0, scalar with DOTNET_EnableHWIntrinsic=0.</summary>
    private static readonly Dictionary<(string Method, string Simd), double> Measured = new()
    {
        [("zs-n2n", "avx512")] = 1.238, [("zs-n2n", "avx2")] = 1.311, [("zs-n2n", "scalar")] = 1.339,
        [("lota-n2n", "avx512")] = 1.214, [("lota-n2n", "avx2")] = 1.216, [("lota-n2n", "scalar")] = 1.322,
        [("self2self-plus", "avx512")] = 10.825, [("self2self-plus", "avx2")] = 11.429, [("self2self-plus", "scalar")] = 9.849,
        [("self2self", "avx512")] = 3.700, [("self2self", "avx2")] = 3.701, [("self2self", "scalar")] = 3.735,
        [("blind2grad", "avx512")] = 10.745, [("blind2grad", "avx2")] = 10.710, [("blind2grad", "scalar")] = 10.641,
    };

    private static string Simd => PinnedGain.Simd;

    [Theory]
    [MemberData(nameof(ContractRuns.Methods), MemberType = typeof(ContractRuns))]
    public void TheGainAtTheShippedDefaultsIsTheMeasuredOne(string method)
    {
        Assert.True(Measured.ContainsKey((method, Simd)), $"{method}: no gain pinned for the {Simd} path; run this test there and pin the logged value");
        var options = ContractRuns.Shipped(method);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var output = new Denoiser(options).Denoise(ContractRuns.Noisy).Output;
        double noisy = Psnr.Compute(ContractRuns.Noisy, ContractRuns.Clean), gain = Psnr.Compute(output, ContractRuns.Clean) - noisy;
        log.WriteLine($"{method} ({options.Iterations} iterations, {Simd}): noisy {noisy:0.000} dB, gain {gain:0.000} dB, {clock.Elapsed.TotalSeconds:0.0} s");
        double pinned = Measured[(method, Simd)];
        Assert.InRange(gain, pinned - PinnedGain.Tolerance, pinned + PinnedGain.Tolerance);
    }
}
