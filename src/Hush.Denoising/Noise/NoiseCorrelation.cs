namespace Hush.Denoising.Noise;

/// <summary>How much a plane's noise is correlated with its neighbours: the normalised autocorrelation of the noise at
/// horizontal and vertical lags 1…<see cref="MaxLag"/>. Independent (white) noise gives about 0 at every lag; camera
/// sRGB noise, which demosaicing, denoising and sharpening in the camera have spread over a few pixels, gives 0.4–0.75
/// at lag 1.</summary>
/// <remarks>
/// <para>The noise is read in the flattest blocks of the plane: the plane is cut into 12×12 blocks, each block's
/// least-squares plane a + b·x + c·y is removed (what is left of smooth shading), and the 5 % of blocks whose four
/// neighbours have the lowest residual variance are pooled. Ranking a block by its neighbours rather than by itself
/// matters: a block whose own noise happens to be weak is one whose noise lies in the high-frequency directions, so
/// self-selection reads correlated noise as less correlated (0.44 for a true 0.5), and keeping blocks with small
/// neighbour differences would do the same more strongly.</para>
/// <para>Removing the plane fit takes part of the noise with it, and more of correlated noise than of white noise (on
/// 12×12 blocks camera noise's lag-2 value came out 0.2 low). The pooled products are therefore de-biased exactly:
/// for noise of stationary covariance c(δ), the expected product sum at lag δ after the projection P is
/// Σ_k c(δ_k)·Σ_p (P B_k P)[p, p+δ], linear in the unknown c(δ_k) for every lag δ_k of the half-window up to
/// <see cref="MaxLag"/> (B_k pairs the pixels δ_k apart), and that square system is solved for c. Noise correlated
/// beyond <see cref="MaxLag"/> pixels is not modelled. Deterministic, one pass over the plane.</para>
/// </remarks>
public static class NoiseCorrelation
{
    /// <summary>Largest lag measured.</summary>
    public const int MaxLag = 3;

    /// <summary>Side of the blocks the plane is cut into: small enough to find flat blocks in textured images, large
    /// enough for lag 3 (8×8 blocks read camera noise 0.2 lower at lag 1 before the de-biasing).</summary>
    internal const int Block = 12;

    /// <summary>Share of the blocks kept, the flattest first.</summary>
    private const double KeptShare = 0.05;

    /// <summary>Degree of the surface removed from each block: 1, a plane. Quadratic surfaces left less texture on a
    /// starfish at σ = 5 (0.27 against 0.29) but took more of correlated noise with them than the de-biasing restores
    /// (a 3×3 box filter's lag 2 read 0.21 for 1/3).</summary>
    private const int Degree = 1;

    /// <summary>Blocks kept at least (all of them on planes with fewer).</summary>
    private const int MinKept = 16;

    /// <summary>The lags of the half-window: (dx, dy) with dx &gt; 0, |dy| ≤ MaxLag, or dx = 0, 0 ≤ dy ≤ MaxLag;
    /// (0, 0) first.</summary>
    internal static readonly (int Dx, int Dy)[] Lags = HalfWindow();

    private static readonly Lazy<double[,]> Inverse = new(() => Invert(ProjectedPairSums()));

    /// <summary>Normalised autocorrelation of the noise of <paramref name="plane"/> at lags 1…<see cref="MaxLag"/>:
    /// <c>Horizontal[d − 1]</c> between pixels d apart in a row, <c>Vertical[d − 1]</c> in a column.</summary>
    /// <exception cref="ArgumentException">The plane's length is not width·height, or it is smaller than one block.</exception>
    public static (double[] Horizontal, double[] Vertical) Measure(ReadOnlySpan<float> plane, int width, int height)
    {
        var covariance = Autocovariance(plane, width, height);
        var horizontal = new double[MaxLag];
        var vertical = new double[MaxLag];
        // A flat plane (σ below 1e-6 of the range: rounding only) has no noise to correlate.
        if (covariance[0] <= 1e-12) return (horizontal, vertical);
        for (int d = 1; d <= MaxLag; d++)
        {
            horizontal[d - 1] = covariance[Array.IndexOf(Lags, (d, 0))] / covariance[0];
            vertical[d - 1] = covariance[Array.IndexOf(Lags, (0, d))] / covariance[0];
        }
        return (horizontal, vertical);
    }

    /// <summary><see cref="Measure"/> averaged over the colour channels of <paramref name="image"/> (alpha left out).</summary>
    /// <exception cref="ArgumentException">The image is smaller than one block.</exception>
    public static (double[] Horizontal, double[] Vertical) MeasureImage(Hush.Imaging.Image image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var h = new double[MaxLag];
        var v = new double[MaxLag];
        for (int c = 0; c < image.Channels; c++)
        {
            var (ch, cv) = Measure(image.Plane(c), image.Width, image.Height);
            for (int d = 0; d < MaxLag; d++) { h[d] += ch[d] / image.Channels; v[d] += cv[d] / image.Channels; }
        }
        return (h, v);
    }

    /// <summary>The noise's autocovariance c(δ) at every lag of <see cref="Lags"/>, de-biased for the plane fits.</summary>
    internal static double[] Autocovariance(ReadOnlySpan<float> plane, int width, int height)
    {
        if (width <= 0 || height <= 0 || plane.Length != (long)width * height)
            throw new ArgumentException($"The plane has {plane.Length} samples, expected {width}×{height}", nameof(plane));
        int blocksX = width / Block, blocksY = height / Block;
        if (blocksX == 0 || blocksY == 0)
            throw new ArgumentException($"A {width}×{height} plane is smaller than one {Block}×{Block} block", nameof(plane));

        var residuals = new double[blocksX * blocksY][];
        var variances = new double[residuals.Length];
        for (int by = 0; by < blocksY; by++)
            for (int bx = 0; bx < blocksX; bx++)
            {
                int i = by * blocksX + bx;
                residuals[i] = PlaneResidual(plane, width, bx * Block, by * Block, out variances[i]);
            }

        // Each block is ranked by its neighbours' residual variance, not its own: for correlated noise a block's own
        // low variance goes with noise that happens to lie in the high-frequency directions, which reads as less
        // correlated (0.44 for a true 0.5 when ranking by the block itself). The neighbours' noise is independent of the
        // block's beyond the correlation's reach, and texture is smooth enough that flat neighbours mean a flat block.
        var score = new double[residuals.Length];
        for (int by = 0; by < blocksY; by++)
            for (int bx = 0; bx < blocksX; bx++)
            {
                double sum = 0;
                int count = 0;
                foreach (var (nx, ny) in new[] { (bx - 1, by), (bx + 1, by), (bx, by - 1), (bx, by + 1) })
                    if (nx >= 0 && nx < blocksX && ny >= 0 && ny < blocksY) { sum += variances[ny * blocksX + nx]; count++; }
                score[by * blocksX + bx] = count == 0 ? variances[by * blocksX + bx] : sum / count;
            }
        int kept = Math.Min(residuals.Length, Math.Max(MinKept, (int)(residuals.Length * KeptShare)));
        var sums = new double[Lags.Length];
        foreach (int i in Enumerable.Range(0, residuals.Length).OrderBy(i => score[i]).ThenBy(i => i).Take(kept))
            for (int k = 0; k < Lags.Length; k++) sums[k] += PairSum(residuals[i], Lags[k]);
        var inverse = Inverse.Value;
        var covariance = new double[Lags.Length];
        for (int k = 0; k < Lags.Length; k++)
            for (int l = 0; l < Lags.Length; l++) covariance[k] += inverse[k, l] * sums[l] / kept;
        return covariance;
    }

    /// <summary>Σ_p v[p]·v[p + δ] over the pixel pairs of one block that are δ apart.</summary>
    private static double PairSum(double[] v, (int Dx, int Dy) lag)
    {
        double sum = 0;
        for (int y = Math.Max(0, -lag.Dy); y < Block - Math.Max(0, lag.Dy); y++)
            for (int x = 0; x + lag.Dx < Block; x++)
                sum += v[y * Block + x] * v[(y + lag.Dy) * Block + x + lag.Dx];
        return sum;
    }

    /// <summary>The block at (x0, y0) less its least-squares plane, and the residual's mean square.</summary>
    private static double[] PlaneResidual(ReadOnlySpan<float> plane, int width, int x0, int y0, out double variance)
    {
        var block = new double[Block * Block];
        for (int y = 0; y < Block; y++)
            for (int x = 0; x < Block; x++) block[y * Block + x] = plane[(y0 + y) * width + x0 + x];
        var basis = PlaneBasis();
        foreach (var q in basis)
        {
            double dot = 0;
            for (int p = 0; p < block.Length; p++) dot += q[p] * block[p];
            for (int p = 0; p < block.Length; p++) block[p] -= dot * q[p];
        }
        double squares = 0;
        foreach (double r in block) squares += r * r;
        variance = squares / block.Length;
        return block;
    }

    /// <summary>An orthonormal basis (Gram–Schmidt) of the polynomials of degree ≤ <see cref="Degree"/> in x and y on
    /// one block: 1, x, y for planes, and x², xy, y² too for quadratic surfaces.</summary>
    private static double[][] PlaneBasis()
    {
        int n = Block * Block;
        double centre = (Block - 1) / 2.0;
        var basis = new List<double[]>();
        for (int total = 0; total <= Degree; total++)
            for (int py = 0; py <= total; py++)
            {
                var q = new double[n];
                for (int y = 0; y < Block; y++)
                    for (int x = 0; x < Block; x++) q[y * Block + x] = Math.Pow(x - centre, total - py) * Math.Pow(y - centre, py);
                foreach (var b in basis)
                {
                    double dot = 0;
                    for (int p = 0; p < n; p++) dot += b[p] * q[p];
                    for (int p = 0; p < n; p++) q[p] -= dot * b[p];
                }
                double norm = Math.Sqrt(q.Sum(v => v * v));
                for (int p = 0; p < n; p++) q[p] /= norm;
                basis.Add(q);
            }
        return [.. basis];
    }

    /// <summary>A[δ, k] = Σ_p (P B_k P)[p, p+δ]: the expected pair sum at lag δ of a projected block whose noise has
    /// unit covariance at lag ±δ_k and none elsewhere.</summary>
    private static double[,] ProjectedPairSums()
    {
        int n = Block * Block, lags = Lags.Length;
        var basis = PlaneBasis();
        var a = new double[lags, lags];
        var pbp = new double[n, n];
        for (int k = 0; k < lags; k++)
        {
            // B_k, then P·B_k·P with P = I − Σ q·qᵀ applied on both sides.
            Array.Clear(pbp);
            for (int y = 0; y < Block; y++)
                for (int x = 0; x < Block; x++)
                {
                    int tx = x + Lags[k].Dx, ty = y + Lags[k].Dy;
                    if (tx >= Block || ty < 0 || ty >= Block) continue;
                    int p = y * Block + x, q = ty * Block + tx;
                    pbp[p, q] = 1;
                    pbp[q, p] = 1;
                }
            foreach (var q in basis) ProjectOut(pbp, q, n);
            for (int d = 0; d < lags; d++)
                for (int y = 0; y < Block; y++)
                    for (int x = 0; x < Block; x++)
                    {
                        int tx = x + Lags[d].Dx, ty = y + Lags[d].Dy;
                        if (tx < Block && ty >= 0 && ty < Block) a[d, k] += pbp[y * Block + x, ty * Block + tx];
                    }
        }
        return a;
    }

    /// <summary>M ← (I − q·qᵀ)·M·(I − q·qᵀ) for a unit vector q.</summary>
    private static void ProjectOut(double[,] m, double[] q, int n)
    {
        var mq = new double[n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) mq[i] += m[i, j] * q[j];
        double qmq = 0;
        for (int i = 0; i < n; i++) qmq += q[i] * mq[i];
        // M is symmetric, so qᵀM = (Mq)ᵀ.
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) m[i, j] += -mq[i] * q[j] - q[i] * mq[j] + qmq * q[i] * q[j];
    }

    private static (int, int)[] HalfWindow()
    {
        var lags = new List<(int, int)>();
        for (int dy = 0; dy <= MaxLag; dy++) lags.Add((0, dy));
        for (int dx = 1; dx <= MaxLag; dx++)
            for (int dy = -MaxLag; dy <= MaxLag; dy++) lags.Add((dx, dy));
        return [.. lags];
    }

    /// <summary>Gauss–Jordan inverse with partial pivoting of the small, well-conditioned system above.</summary>
    private static double[,] Invert(double[,] a)
    {
        int n = a.GetLength(0);
        var m = (double[,])a.Clone();
        var inv = new double[n, n];
        for (int i = 0; i < n; i++) inv[i, i] = 1;
        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < n; r++) if (Math.Abs(m[r, col]) > Math.Abs(m[pivot, col])) pivot = r;
            for (int c = 0; c < n; c++)
            {
                (m[col, c], m[pivot, c]) = (m[pivot, c], m[col, c]);
                (inv[col, c], inv[pivot, c]) = (inv[pivot, c], inv[col, c]);
            }
            double scale = m[col, col];
            for (int c = 0; c < n; c++) { m[col, c] /= scale; inv[col, c] /= scale; }
            for (int r = 0; r < n; r++)
            {
                if (r == col || m[r, col] == 0) continue;
                double f = m[r, col];
                for (int c = 0; c < n; c++) { m[r, c] -= f * m[col, c]; inv[r, c] -= f * inv[col, c]; }
            }
        }
        return inv;
    }
}
