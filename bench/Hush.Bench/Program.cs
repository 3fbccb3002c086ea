using BenchmarkDotNet.Running;
using Hush.Bench;

// dotnet run -c Release --project bench/Hush.Bench -- kernels [SIZE [CIN COUT]]   quick GFLOP/s table vs measured peak
// dotnet run -c Release --project bench/Hush.Bench -- pointwise [SIZE [CIN COUT]]   the same for 1×1 convolutions
// dotnet run -c Release --project bench/Hush.Bench -- masks [SIZE [C]]   a decoder convolution's drop masks beside a copy and the conv
// dotnet run -c Release --project bench/Hush.Bench -- bdn [BenchmarkDotNet args, e.g. --filter *]
switch (args.FirstOrDefault())
{
    case "kernels":
        KernelReport.Run(args.Length > 1 ? int.Parse(args[1]) : 256, args.Length > 3 ? int.Parse(args[2]) : 48,
            args.Length > 3 ? int.Parse(args[3]) : 48);
        return 0;
    case "pointwise": // the same table for a 1×1 convolution: direct kernel against the packed GEMM
        KernelReport.Pointwise(args.Length > 1 ? int.Parse(args[1]) : 256, args.Length > 3 ? int.Parse(args[2]) : 128,
            args.Length > 3 ? int.Parse(args[3]) : 128);
        return 0;
    case "masks": // what the dropout / T-standout multipliers cost beside the convolution that applies them
        MaskReport.Run(args.Length > 1 ? int.Parse(args[1]) : 256, args.Length > 2 ? int.Parse(args[2]) : 99);
        return 0;
    case "winograd-loop": // for profilers: Winograd forward + backward at 256², 1 thread, repeated
        KernelReport.WinogradLoop(args.Length > 1 ? int.Parse(args[1]) : 200);
        return 0;
    case "bdn":
        BenchmarkSwitcher.FromAssembly(typeof(ConvBenchmarks).Assembly).Run(args[1..]);
        return 0;
    default:
        Console.Error.WriteLine("usage: Hush.Bench kernels [SIZE [CIN COUT]] | pointwise [SIZE [CIN COUT]] | masks [SIZE [C]] | bdn [BenchmarkDotNet args]");
        return 2;
}
