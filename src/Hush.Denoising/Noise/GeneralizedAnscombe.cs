namespace Hush.Denoising.Noise;

/// <summary>The generalized Anscombe transform (GAT) for Poisson–Gaussian data y with var(y | x) = a·x + b (a &gt; 0 the
/// Poisson gain, b ≥ 0 the Gaussian variance), and its exact unbiased inverse (Mäkitalo &amp; Foi, IEEE TIP 2011 and
/// 2013): f(y) = 2·√(max(y/a + 3/8 + b/a², 0)) has variance ≈ 1 whatever x, so a denoiser for unit-variance Gaussian
/// noise can be used on f(y); its estimate D of E[f(y) | x] is mapped back by the inverse of x ↦ E[f(y) | x], which,
/// unlike the algebraic inverse, carries no bias at low counts.</summary>
/// <remarks>E[f(y) | x] is computed exactly (Poisson sums, and a Gaussian quadrature when b &gt; 0) on a grid of
/// λ = x/a up to <see cref="TableLimit"/>; above it the closed-form asymptotic inverse of Mäkitalo &amp; Foi is
/// accurate to far below float resolution.</remarks>
public sealed class GeneralizedAnscombe
{
    private const double TableLimit = 120;
    private const int TableSize = 3000;

    private readonly double _a, _s2; // gain and normalised Gaussian variance b / a²
    private readonly double[] _lambda = new double[TableSize], _expected = new double[TableSize];

    /// <exception cref="ArgumentException">a ≤ 0, b &lt; 0 or either not finite.</exception>
    public GeneralizedAnscombe(double a, double b)
    {
        if (!(a > 0) || double.IsInfinity(a)) throw new ArgumentException($"the Poisson gain a must be a finite number > 0, got {a}");
        if (!(b >= 0) || double.IsInfinity(b)) throw new ArgumentException($"the Gaussian variance b must be a finite number ≥ 0, got {b}");
        (_a, _s2) = (a, b / (a * a));
        var g = ExpectedRootPerCount((int)(TableLimit + 14 * Math.Sqrt(TableLimit) + 40));
        var logFactorial = new double[g.Length];
        for (int k = 2; k < g.Length; k++) logFactorial[k] = logFactorial[k - 1] + Math.Log(k);
        for (int i = 0; i < TableSize; i++)
        {
            double t = (double)i / (TableSize - 1);
            _lambda[i] = TableLimit * t * t; // denser near 0, where the inverse bends
            _expected[i] = ExpectedTransform(_lambda[i], g, logFactorial);
        }
    }

    /// <summary>f(y) = 2·√(max(y/a + 3/8 + b/a², 0)).</summary>
    public double Forward(double y) => 2 * Math.Sqrt(Math.Max(y / _a + 0.375 + _s2, 0));

    /// <summary>The x whose E[f(y) | x] is <paramref name="d"/>: the exact unbiased inverse (0 at or below E[f | x = 0]).</summary>
    public double Inverse(double d)
    {
        if (d <= _expected[0]) return 0;
        if (d >= _expected[^1]) return _a * Math.Max(0, ClosedFormInverse(d));
        int lo = 0, hi = TableSize - 1;
        while (hi - lo > 1)
        {
            int mid = (lo + hi) >> 1;
            if (_expected[mid] <= d) lo = mid;
            else hi = mid;
        }
        double f = (d - _expected[lo]) / (_expected[hi] - _expected[lo]);
        return _a * (_lambda[lo] + f * (_lambda[hi] - _lambda[lo]));
    }

    /// <summary>Mäkitalo &amp; Foi's closed-form approximation of the exact unbiased inverse (normalised units).</summary>
    private double ClosedFormInverse(double d)
    {
        double r = Math.Sqrt(1.5);
        return d * d / 4 + r / (4 * d) - 11 / (8 * d * d) + 5 * r / (8 * d * d * d) - 0.125 - _s2;
    }

    // E[f | λ] = Σ_k Poisson(k; λ) · g(k).
    private static double ExpectedTransform(double lambda, double[] g, double[] logFactorial)
    {
        if (lambda == 0) return g[0];
        double sum = 0, logLambda = Math.Log(lambda);
        for (int k = 0; k < g.Length; k++)
        {
            double p = Math.Exp(k * logLambda - lambda - logFactorial[k]);
            sum += p * g[k];
            if (k > lambda && p < 1e-17) break;
        }
        return sum;
    }

    // g(k) = E_n[2·√(max(k + n + 3/8 + s², 0))], n ~ N(0, s²): exact for s = 0, else a 257-point rule over ±8 s.
    private double[] ExpectedRootPerCount(int count)
    {
        var g = new double[count];
        double s = Math.Sqrt(_s2);
        for (int k = 0; k < count; k++)
        {
            if (s == 0)
            {
                g[k] = 2 * Math.Sqrt(k + 0.375);
                continue;
            }
            const int points = 257;
            double sum = 0, weights = 0;
            for (int i = 0; i < points; i++)
            {
                double z = -8 + 16.0 * i / (points - 1), w = Math.Exp(-z * z / 2) * (i == 0 || i == points - 1 ? 0.5 : 1);
                sum += w * 2 * Math.Sqrt(Math.Max(k + s * z + 0.375 + _s2, 0));
                weights += w;
            }
            g[k] = sum / weights;
        }
        return g;
    }
}
