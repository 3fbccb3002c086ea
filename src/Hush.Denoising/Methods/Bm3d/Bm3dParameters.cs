namespace Hush.Denoising.Methods.Bm3d;

/// <summary>The 2-D block transform of a stage.</summary>
internal enum BlockTransformKind
{
    /// <summary>The biorthogonal 1.5 wavelet, full periodic decomposition, rows normalised (8×8 blocks only).</summary>
    Bior15,

    /// <summary>The orthonormal DCT-II.</summary>
    Dct,
}

/// <summary>One stage's block matching and filtering: blocks of <see cref="Block"/>², a reference block every
/// <see cref="Step"/> pixels, up to <see cref="MaxGroup"/> blocks per group from a <see cref="Window"/>² search
/// window, matched when their mean squared distance (0–255 scale) is below <see cref="MatchThreshold"/>, aggregated
/// under a Kaiser window of parameter <see cref="KaiserBeta"/>.</summary>
internal sealed record Bm3dStage(int Block, int Step, int MaxGroup, int Window, float MatchThreshold, float KaiserBeta,
    BlockTransformKind Transform);

/// <summary>Both stages' parameters: the values of the reference MATLAB implementation (BM3D.m), whose profile "np"
/// is the published one and whose "vn" set (Hou et al., IEEE TIP 2011 comment) it uses for every σ &gt; 40.
/// <see cref="Lambda3D"/> is the hard threshold in units of σ; after a group leaves fewer than
/// <see cref="SparseGroup"/> coefficients, the next reference block in the row is <c>Block − 1</c> pixels on instead of
/// <c>Step</c> (flat regions need fewer groups).</summary>
internal sealed record Bm3dParameters(Bm3dStage HardThreshold, float Lambda3D, int SparseGroup, Bm3dStage Wiener)
{
    public static readonly Bm3dParameters Normal = new(
        new Bm3dStage(Block: 8, Step: 3, MaxGroup: 16, Window: 39, MatchThreshold: 3000, KaiserBeta: 2, BlockTransformKind.Bior15),
        Lambda3D: 2.7f, SparseGroup: 8,
        new Bm3dStage(Block: 8, Step: 3, MaxGroup: 32, Window: 39, MatchThreshold: 400, KaiserBeta: 2, BlockTransformKind.Dct));

    public static readonly Bm3dParameters Strong = new(
        new Bm3dStage(Block: 8, Step: 4, MaxGroup: 32, Window: 39, MatchThreshold: 25000, KaiserBeta: 2, BlockTransformKind.Bior15),
        Lambda3D: 2.8f, SparseGroup: 3,
        new Bm3dStage(Block: 11, Step: 6, MaxGroup: 32, Window: 39, MatchThreshold: 3500, KaiserBeta: 2, BlockTransformKind.Dct));

    /// <summary>The parameters of <paramref name="profile"/> at noise level <paramref name="sigma255"/>.</summary>
    public static Bm3dParameters For(Bm3dProfile profile, double sigma255) => profile switch
    {
        Bm3dProfile.Normal => Normal,
        Bm3dProfile.Strong => Strong,
        _ => sigma255 > 40 ? Strong : Normal,
    };
}
