namespace Hush.Engine.Kernels.Winograd;

/// <summary>The register-blocked matrix product under Winograd's 36 per-position GEMMs and the pointwise convolutions
/// (<see cref="PointwiseConv"/>): rows in blocks of 8 (AVX2: 4), columns in panels of 1–3 vectors, micro-kernels from
/// WinogradGemm.Micro.cs.</summary>
internal static unsafe partial class WinogradGemm
{
    // c[r, col] (=|+=) Σ_(s < steps) a[r*aRow + s*aStep] b[s*bStep + col]  for r < rows, col < cols (cols % Count == 0).
    // Column panels outermost: a panel of b (steps × 3 vectors, 27 KB at 144 steps) stays in L1 across the row blocks.
    internal static void Gemm<TO, TV>(float* a, nint aRow, nint aStep, float* b, nint bStep, int steps, float* c, nint cRow,
        int rows, int cols, bool accumulate)
        where TO : struct, IVecOps<TV>
        where TV : struct
    {
        int vc = TO.Count, tall = vc == 8 ? 4 : 8; // AVX2's 16 registers hold 4×3 accumulators, not 8×3
        for (int col = 0; col < cols;)
        {
            int width = Math.Min(3, (cols - col) / vc);
            float* bc = b + col;
            int r = 0;
            for (; r + tall <= rows; r += tall)
            {
                float* ar = a + r * aRow, cr = c + r * cRow + col;
                if (tall == 8)
                {
                    if (width == 3) Gemm8x3<TO, TV>(ar, aRow, aStep, bc, bStep, steps, cr, cRow, accumulate);
                    else if (width == 2) Gemm8x2<TO, TV>(ar, aRow, aStep, bc, bStep, steps, cr, cRow, accumulate);
                    else Gemm8x1<TO, TV>(ar, aRow, aStep, bc, bStep, steps, cr, cRow, accumulate);
                }
                else
                {
                    if (width == 3) Gemm4x3<TO, TV>(ar, aRow, aStep, bc, bStep, steps, cr, cRow, accumulate);
                    else if (width == 2) Gemm4x2<TO, TV>(ar, aRow, aStep, bc, bStep, steps, cr, cRow, accumulate);
                    else Gemm4x1<TO, TV>(ar, aRow, aStep, bc, bStep, steps, cr, cRow, accumulate);
                }
            }

            for (; r < rows; r++)
            {
                float* ar = a + r * aRow, cr = c + r * cRow + col;
                if (width == 3) Gemm1x3<TO, TV>(ar, aRow, aStep, bc, bStep, steps, cr, cRow, accumulate);
                else if (width == 2) Gemm1x2<TO, TV>(ar, aRow, aStep, bc, bStep, steps, cr, cRow, accumulate);
                else Gemm1x1<TO, TV>(ar, aRow, aStep, bc, bStep, steps, cr, cRow, accumulate);
            }

            col += width * vc;
        }
    }
}
