namespace Hush.Cli.Quality;

/// <summary>One published figure Hush reproduces: a method on a data set at a noise level (a <c>bench quality</c>
/// noise label: gN clipped Gaussian, gNu unclipped, pN Poisson), with settings (sweep names), an optional centre crop,
/// and the published PSNR (SSIM where the paper gives one).</summary>
internal sealed record PaperRow(string Method, string Set, string Noise, double Psnr, double? Ssim = null,
    string Settings = "", string? Crop = null, string? Files = null);

/// <summary>A paper's comparison table as Hush can rerun it: where the figures come from, the protocol, and for the
/// network methods (minutes to hours per image on a CPU) how many images a default run takes.</summary>
internal sealed record PaperTable(string Name, string Source, string Protocol, PaperRow[] Rows, int DefaultImages);

/// <summary>The tables <c>hush bench tables</c> knows, with the figures as their sources print them.</summary>
internal static class PaperTables
{
    public static readonly PaperTable[] All =
    [
        new("bm3d", "BM3D/CBM3D as the DnCNN and FFDNet papers quote the authors' MATLAB release",
            "whole images, float noise (unclipped), σ given, noise seed 0",
            [
                .. Three("BSD68", [31.07, 28.57, 25.62]), .. Three("Set12", [32.37, 29.97, 26.72]), .. Three("CBSD68", [33.52, 30.71, 27.38]),
            ], DefaultImages: int.MaxValue),
        new("blind2grad", "Blind2Grad (AIMS Mathematics 2025), Tables 2 and 3: BM3D, ZS-N2N, Self2Self, Blind2Grad, N2S and DIP columns",
            "whole images, Gaussian noise clipped to [0, 1] (the paper does not say), σ given to BM3D, noise seed 0, training seed 0",
            [
                new("bm3d", "BSD68", "g25", 28.56, 0.801, "sigma=25"), new("bm3d", "BSD68", "g50", 25.62, 0.687, "sigma=50"),
                new("bm3d", "Kodak24", "g25", 31.87, 0.868, "sigma=25"), new("bm3d", "Kodak24", "g50", 29.01, 0.794, "sigma=50"),
                new("bm3d", "CBSD68", "g25", 30.71, 0.837, "sigma=25"), new("bm3d", "CBSD68", "g50", 27.60, 0.779, "sigma=50"),
                new("zs-n2n", "BSD68", "g25", 28.33, 0.794), new("zs-n2n", "BSD68", "g50", 25.58, 0.681),
                new("zs-n2n", "Kodak24", "g25", 29.17, 0.773), new("zs-n2n", "Kodak24", "g50", 24.94, 0.610),
                new("zs-n2n", "CBSD68", "g25", 28.54, 0.799), new("zs-n2n", "CBSD68", "g50", 24.39, 0.644),
                new("self2self", "BSD68", "g25", 28.70, 0.803), new("self2self", "BSD68", "g50", 25.92, 0.699),
                new("self2self", "Kodak24", "g25", 31.28, 0.864), new("self2self", "Kodak24", "g50", 29.05, 0.792),
                new("blind2grad", "BSD68", "g25", 28.89, 0.823), new("blind2grad", "BSD68", "g50", 26.33, 0.719),
                new("blind2grad", "Kodak24", "g25", 32.46, 0.885), new("blind2grad", "Kodak24", "g50", 29.36, 0.813),
                new("noise2self", "BSD68", "g25", 27.19, 0.769), new("noise2self", "BSD68", "g50", 24.53, 0.642),
                new("noise2self", "Kodak24", "g25", 30.96, 0.843), new("noise2self", "CBSD68", "g25", 29.71, 0.800),
                new("dip", "BSD68", "g25", 27.96, 0.774), new("dip", "BSD68", "g50", 25.04, 0.645),
                new("dip", "Kodak24", "g25", 27.20, 0.751), new("dip", "CBSD68", "g25", 29.89, 0.808),
            ], DefaultImages: 1),
        new("zs-n2n", "ZS-N2N as MPI (NeurIPS 2024, Table 1) and ZS-HPD (256² crops) report it",
            "MPI: whole images, clipped Gaussian; ZS-HPD: centre 256×256 crops; noise seed 0, training seed 0",
            [
                new("zs-n2n", "McMaster", "g10", 34.19, 0.908), new("zs-n2n", "McMaster", "g25", 29.37, 0.786), new("zs-n2n", "McMaster", "g50", 25.82, 0.634),
                new("zs-n2n", "CBSD68", "g10", 33.73, 0.923), new("zs-n2n", "CBSD68", "g25", 29.01, 0.815), new("zs-n2n", "CBSD68", "g50", 25.37, 0.657),
                new("zs-n2n", "Kodak24", "g25", 29.07, 0.7924, Crop: "256x256"), new("zs-n2n", "Kodak24", "g50", 24.81, 0.6294, Crop: "256x256"),
                new("zs-n2n", "Kodak24", "p50", 29.45, 0.8144, Crop: "256x256"), new("zs-n2n", "McMaster", "p50", 30.36, 0.8531, Crop: "256x256"),
            ], DefaultImages: 4),
        new("lota-n2n", "LoTA-N2N's per-image figure (its README's Result2): the confocal BPAE_G micrograph, with its Noise2Fast and DIP2000 columns",
            "the whole 512×512 image, Poisson noise of peak 50 clipped to [0, 1], noise seed 0, training seed 0",
            [
                new("zs-n2n", "microscopy/confocal/clean", "p50", 36.47, 0.9629, Files: "BPAE_G.tif"),
                new("lota-n2n", "microscopy/confocal/clean", "p50", 37.20, 0.9698, Files: "BPAE_G.tif"),
                new("noise2fast", "microscopy/confocal/clean", "p50", 35.55, 0.8985, Files: "BPAE_G.tif"),
                new("dip", "microscopy/confocal/clean", "p50", 33.73, 0.8076, "iterations=2000", Files: "BPAE_G.tif"),
            ], DefaultImages: 1),
    ];

    private static IEnumerable<PaperRow> Three(string set, double[] psnr) =>
        [new("bm3d", set, "g15u", psnr[0], null, "sigma=15"), new("bm3d", set, "g25u", psnr[1], null, "sigma=25"), new("bm3d", set, "g50u", psnr[2], null, "sigma=50")];
}
