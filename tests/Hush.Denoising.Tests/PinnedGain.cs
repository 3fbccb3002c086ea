using System.Runtime.Intrinsics;
using Xunit.Abstractions;

namespace Hush.Denoising.Tests;

/// <summary>A deterministic run's PSNR gain pinned to its measured value. A run is bit-identical for a seed, a thread
/// count and a SIMD path, but the paths round differently and training amplifies that, so each path has its own
/// measured value: AVX-512 by default, AVX2 with DOTNET_EnableAVX512=0, scalar with DOTNET_EnableHWIntrinsic=0
/// (measured on one AVX-512 machine). ±0.3 dB, so a regression of a few tenths of a dB fails.</summary>
internal static class PinnedGain
{
    public const double Tolerance = 0.3;

    /// <summary>The widest vectors the engine's kernels use in this process.</summary>
    public static string Simd => Vector512.IsHardwareAccelerated ? "avx512" : Vector256.IsHardwareAccelerated ? "avx2" : "scalar";

    public static void Check(ITestOutputHelper log, string what, double gain, double avx512, double avx2, double scalar)
    {
        double pinned = Simd switch { "avx512" => avx512, "avx2" => avx2, _ => scalar };
        log.WriteLine($"pinned-gain {what} [{Simd}]: {gain:0.000} dB (pinned {pinned:0.000})");
        Assert.InRange(gain, pinned - Tolerance, pinned + Tolerance);
    }
}
