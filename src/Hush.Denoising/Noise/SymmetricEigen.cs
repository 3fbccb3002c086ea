namespace Hush.Denoising.Noise;

/// <summary>Eigenvalues of a small real symmetric matrix by cyclic Jacobi rotations.</summary>
/// <remarks>Jacobi is slow for big matrices but the noise estimator's are at most 64×64, and it keeps small eigenvalues
/// accurate relative to their own size, which is where the noise variance is read.</remarks>
internal static class SymmetricEigen
{
    private const int MaxSweeps = 60;

    /// <summary>The eigenvalues of the n×n symmetric row-major <paramref name="matrix"/>, ascending.</summary>
    public static double[] Eigenvalues(ReadOnlySpan<double> matrix, int n)
    {
        if (matrix.Length != n * n) throw new ArgumentException($"expected {n}×{n} = {n * n} entries, got {matrix.Length}", nameof(matrix));
        var a = matrix.ToArray();
        double total = 0;
        foreach (double v in a) total += v * v;

        for (int sweep = 0; sweep < MaxSweeps; sweep++)
        {
            double off = 0;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++) off += a[p * n + q] * a[p * n + q];
            if (off <= 1e-26 * total) break;

            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++)
                {
                    double apq = a[p * n + q];
                    if (apq == 0) continue;
                    // The rotation angle that zeroes (p, q); t is the smaller root, which keeps the rotation small.
                    double theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
                    double t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < n; k++)
                    {
                        double akp = a[k * n + p], akq = a[k * n + q];
                        a[k * n + p] = c * akp - s * akq;
                        a[k * n + q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double apk = a[p * n + k], aqk = a[q * n + k];
                        a[p * n + k] = c * apk - s * aqk;
                        a[q * n + k] = s * apk + c * aqk;
                    }
                    a[p * n + q] = a[q * n + p] = 0;
                }
        }

        var values = new double[n];
        for (int i = 0; i < n; i++) values[i] = a[i * n + i];
        Array.Sort(values);
        return values;
    }
}
