namespace Hush.Denoising.Noise;

/// <summary>Fits var(y | x) = a·x + b to one or more planes, after Foi, Trimeche, Katkovnik and Egiazarian ("Practical
/// Poissonian-Gaussian noise modeling and fitting for single-image raw-data", IEEE TIP 2008): local means and local
/// noise variances from smooth parts of the image, grouped by intensity, then a weighted straight-line fit.</summary>
/// <remarks>
/// <para>Each plane is cut into non-overlapping 2×2 cells and transformed with the orthonormal 2-D Haar basis: the
/// average (local mean), the horizontal and vertical differences (mostly edges) and the diagonal difference
/// (x₀₀ − x₀₁ − x₁₀ + x₁₁)/2, whose variance is the noise variance wherever the signal is locally linear. Cells are
/// gathered into 8×8-pixel blocks (16 diagonal samples each).</para>
/// <para>Blocks are sorted by mean and split into groups of similar intensity, where the noise level is about the
/// same. A group keeps the blocks whose horizontal + vertical energy is at most 1.5 times what a flat block would show
/// (twice the group's median diagonal energy, as there are two such directions); its variance is the mean squared
/// diagonal difference over the kept blocks. For independent noise the Haar differences are uncorrelated, so choosing
/// blocks by the horizontal and vertical ones does not bias the diagonal one. Where the data holds samples exactly at 0 or 1 (over 1 % of a group's), groups within two of their σ of that
/// bound are left out, as clipping shrinks the variance there. The test is on the group's mean, not on each block's
/// count of clipped samples: among blocks of equal mean, those with fewer zeros are the less noisy ones, so dropping
/// blocks by their own count biased the dark end low (slope up, b negative, on Poisson data).</para>
/// <para>The line is fitted by iteratively reweighted least squares, each group weighted by its sample count over
/// the square of its modelled variance (the sampling variance of a variance estimate is 2v²/n). a is kept ≥ 0: a
/// negative fit is replaced by the best constant (a = 0). b is not clamped: offsets and clipping can make it
/// legitimately negative.</para>
/// </remarks>
internal static class PoissonGaussianFit
{
    /// <summary>Side of a block in pixels.</summary>
    public const int BlockSize = 8;

    private const int CellsPerBlock = BlockSize / 2 * (BlockSize / 2);
    private const int MinBlocks = 16;

    /// <summary>How far above the flat-block expectation (twice the diagonal energy, from 32 samples) a block's
    /// horizontal + vertical energy may lie: about the 97th percentile of χ²₃₂/32, so few flat blocks are lost. Measured
    /// against 2×: fits on noised Set12 images moved closer to the truth, microscopy fits hardly changed.</summary>
    private const double EdgeAllowance = 1.5;

    /// <summary>Statistics of one block: mean intensity, mean squared diagonal difference, horizontal + vertical energy.</summary>
    internal readonly record struct BlockStats(double Mean, double DiagonalEnergy, double EdgeEnergy, double ClippedFraction);

    /// <summary>The statistics of every usable block of a plane, appended to <paramref name="blocks"/>.</summary>
    public static void CollectBlocks(ReadOnlySpan<float> plane, int width, int height, List<BlockStats> blocks)
    {
        for (int by = 0; by + BlockSize <= height; by += BlockSize)
            for (int bx = 0; bx + BlockSize <= width; bx += BlockSize)
            {
                double sum = 0, diagonal = 0, edges = 0;
                int clipped = 0;
                for (int y = by; y < by + BlockSize; y += 2)
                    for (int x = bx; x < bx + BlockSize; x += 2)
                    {
                        double a = plane[y * width + x], b = plane[y * width + x + 1];
                        double c = plane[(y + 1) * width + x], d = plane[(y + 1) * width + x + 1];
                        clipped += Clipped(a) + Clipped(b) + Clipped(c) + Clipped(d);
                        sum += a + b + c + d;
                        double horizontal = (a - b + c - d) / 2, vertical = (a + b - c - d) / 2, diag = (a - b - c + d) / 2;
                        diagonal += diag * diag;
                        edges += horizontal * horizontal + vertical * vertical;
                    }
                blocks.Add(new BlockStats(sum / (BlockSize * BlockSize), diagonal / CellsPerBlock, edges / CellsPerBlock,
                    clipped / (double)(BlockSize * BlockSize)));
            }
    }

    // Exactly 0 or 1: what clipping (or rounding to an integer file) leaves; unclipped noise rarely lands there.
    private static int Clipped(double v) => v is 0 or 1 ? 1 : 0;

    /// <summary>Fits (a, b) to the blocks; throws when there are too few to fit.</summary>
    public static (double A, double B) Fit(List<BlockStats> blocks)
    {
        if (blocks.Count < MinBlocks)
            throw new ArgumentException(
                $"Poisson–Gaussian fit needs at least {MinBlocks} blocks of {BlockSize}×{BlockSize} pixels, found {blocks.Count}");
        // Stable order (mean, then position in the list) keeps the result deterministic when means tie.
        var ordered = blocks.Select((b, i) => (b, i)).OrderBy(t => t.b.Mean).ThenBy(t => t.i).Select(t => t.b).ToArray();
        int groupSize = Math.Max(8, ordered.Length / 32);
        var groups = new List<(double Mean, double Variance, double Samples)>();
        for (int start = 0; start < ordered.Length; start += groupSize)
        {
            int end = Math.Min(ordered.Length, start + groupSize);
            if (end - start < groupSize / 2 && groups.Count > 0) break; // a short tail would be a noisy point
            var group = ordered[start..end];
            double rough = NoiseEstimation.Median([.. group.Select(b => b.DiagonalEnergy)]);
            var smooth = group.Where(b => b.EdgeEnergy <= EdgeAllowance * 2 * rough).ToArray();
            if (smooth.Length < 2) continue;
            double mean = smooth.Average(b => b.Mean), variance = smooth.Average(b => b.DiagonalEnergy);
            if (smooth.Average(b => b.ClippedFraction) > 0.01 && Math.Min(mean, 1 - mean) < 2 * Math.Sqrt(variance))
                continue; // within two σ of a bound that the data shows clipping at
            groups.Add((mean, variance, smooth.Length * (double)CellsPerBlock));
        }
        if (groups.Count == 0)
            throw new ArgumentException("Poisson–Gaussian fit found no smooth, unclipped intensity range to fit");
        return FitLine(groups);
    }

    internal static (double A, double B) FitLine(IReadOnlyList<(double Mean, double Variance, double Samples)> groups)
    {
        // First weights from the observed variances, then from the fitted line (weighted by noise level, not by luck).
        var model = groups.Select(g => g.Variance).ToArray();
        // Groups whose variance is (nearly) zero, e.g. pure black under Poisson noise, would take all the weight.
        double floor = Math.Max(1e-3 * NoiseEstimation.Median([.. model]), 1e-12);
        double a = 0, b = 0;
        for (int round = 0; round < 4; round++)
        {
            double sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
            for (int i = 0; i < groups.Count; i++)
            {
                // A line that dips to or below zero at some group must not hand that group an unbounded weight.
                double v = Math.Max(Math.Max(model[i], 0.25 * groups[i].Variance), floor);
                double w = groups[i].Samples / (v * v);
                sw += w; sx += w * groups[i].Mean; sy += w * groups[i].Variance;
                sxx += w * groups[i].Mean * groups[i].Mean; sxy += w * groups[i].Mean * groups[i].Variance;
            }
            double spread = sxx * sw - sx * sx;
            // Groups at (nearly) one intensity cannot tell a slope from an offset: report the constant.
            if (spread <= 1e-12 * sw * sw) { a = 0; b = sy / sw; }
            else
            {
                a = (sw * sxy - sx * sy) / spread;
                b = (sy - a * sx) / sw;
                if (a < 0) { a = 0; b = sy / sw; }
            }
            for (int i = 0; i < groups.Count; i++) model[i] = a * groups[i].Mean + b;
        }
        return (a, b);
    }
}
