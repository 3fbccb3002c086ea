using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Hush.Engine.Kernels;
using Xunit.Abstractions;

namespace Hush.Engine.Tests;

/// <summary>
/// Writes the SIMD path this run of the engine tests dispatches to into the test output (and so into the trx file).
/// .ci/run runs these tests at AVX-512, with DOTNET_EnableAVX512=0 and with DOTNET_EnableHWIntrinsic=0, and reads this
/// line back from each run: a mistyped or ignored runtime switch would otherwise test the same path three times and
/// still pass. The line's format ("hush-simd: key=value ...") is what .ci/trx-scan.awk looks for.
/// </summary>
public class SimdLevelReport(ITestOutputHelper output)
{
    [Fact]
    public void ReportsTheSimdLevelThisRunUses()
    {
        output.WriteLine($"hush-simd: best={Simd.Best} vector512={Vector512.IsHardwareAccelerated} " +
                         $"vector256={Vector256.IsHardwareAccelerated} avx2={Avx2.IsSupported} fma={Fma.IsSupported}");
        // The kernels' Vector256 path is only taken where the JIT accelerates Vector256, which on x64 means AVX2.
        if (Simd.Best == SimdLevel.Avx2) Assert.True(Avx2.IsSupported, "the AVX2 path is chosen without AVX2");
    }
}
