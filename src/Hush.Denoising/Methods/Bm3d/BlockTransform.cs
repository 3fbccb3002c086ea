using System.Runtime.Intrinsics;

namespace Hush.Denoising.Methods.Bm3d;

/// <summary>A separable 2-D transform of N×N blocks, C = T·B·Tᵀ with its exact inverse B = T⁻¹·C·T⁻ᵀ, and the Kaiser
/// window of the aggregation. Rows of T have unit norm, so every coefficient of white noise of deviation σ has
/// deviation σ (orthonormal DCT; for bior1.5 the rows are normalised but not orthogonal, as in the reference code).</summary>
internal sealed class BlockTransform
{
    public int N { get; }

    private readonly float[] _forward; // [k, n]: coefficient k = Σ_n T[k, n] x[n]
    private readonly float[] _inverse; // [n, k]: x[n] = Σ_k T⁻¹[n, k] c[k]
    private readonly float[] _forwardT, _inverseT; // the transposes, for the vector path

    /// <summary>Kaiser(N, β) ⊗ Kaiser(N, β), row-major N×N.</summary>
    public float[] Window { get; }

    public BlockTransform(BlockTransformKind kind, int n, double kaiserBeta)
    {
        N = n;
        double[,] t = kind == BlockTransformKind.Bior15 ? Bior15(n) : Dct(n);
        var inverse = Invert(t);
        _forward = Flatten(t);
        _inverse = Flatten(inverse);
        _forwardT = Flatten(Transpose(t));
        _inverseT = Flatten(Transpose(inverse));
        Window = KaiserWindow(n, kaiserBeta);
    }

    // c[N, N] = T · b · Tᵀ, b read from src at stride; tmp: N² floats.
    public void Forward(ReadOnlySpan<float> src, int stride, Span<float> c, Span<float> tmp)
    {
        if (N == 8 && Vector256.IsHardwareAccelerated) Separable8(_forward, _forwardT, src, stride, c, tmp);
        else ForwardScalar(src, stride, c, tmp);
    }

    // b[N, N] = T⁻¹ · c · T⁻ᵀ (row-major, contiguous); tmp: N² floats.
    public void Inverse(ReadOnlySpan<float> c, Span<float> b, Span<float> tmp)
    {
        if (N == 8 && Vector256.IsHardwareAccelerated) Separable8(_inverse, _inverseT, c, 8, b, tmp);
        else InverseScalar(c, b, tmp);
    }

    // out = M · x · Mᵀ for 8×8 blocks, one 8-float row per vector: first y = M · x (y[k,:] = Σ_r M[k,r] x[r,:]), then
    // out[k,:] = Σ_j y[k,j] · Mᵀ[j,:]. 128 vector multiply-adds instead of 1024 scalar ones.
    private static void Separable8(float[] m, float[] mt, ReadOnlySpan<float> x, int stride, Span<float> output, Span<float> y)
    {
        Span<Vector256<float>> rows = stackalloc Vector256<float>[8];
        for (int r = 0; r < 8; r++) rows[r] = Vector256.Create(x.Slice(r * stride, 8));
        for (int k = 0; k < 8; k++)
        {
            var acc = Vector256<float>.Zero;
            for (int r = 0; r < 8; r++) acc += Vector256.Create(m[k * 8 + r]) * rows[r];
            acc.CopyTo(y.Slice(k * 8, 8));
        }
        for (int r = 0; r < 8; r++) rows[r] = Vector256.Create(mt.AsSpan(r * 8, 8));
        for (int k = 0; k < 8; k++)
        {
            var acc = Vector256<float>.Zero;
            for (int j = 0; j < 8; j++) acc += Vector256.Create(y[k * 8 + j]) * rows[j];
            acc.CopyTo(output.Slice(k * 8, 8));
        }
    }

    /// <summary>The scalar twin of <see cref="Forward"/> (and its path for other block sizes).</summary>
    internal void ForwardScalar(ReadOnlySpan<float> src, int stride, Span<float> c, Span<float> tmp)
    {
        int n = N;
        for (int r = 0; r < n; r++)
        {
            var row = src.Slice(r * stride, n);
            for (int k = 0; k < n; k++)
            {
                var f = _forward.AsSpan(k * n, n);
                float s = 0;
                for (int j = 0; j < n; j++) s += row[j] * f[j];
                tmp[r * n + k] = s;
            }
        }
        Mix(_forward, tmp, c, n);
    }

    /// <summary>The scalar twin of <see cref="Inverse"/>.</summary>
    internal void InverseScalar(ReadOnlySpan<float> c, Span<float> b, Span<float> tmp)
    {
        int n = N;
        for (int r = 0; r < n; r++)
        for (int k = 0; k < n; k++)
        {
            float s = 0;
            for (int j = 0; j < n; j++) s += c[r * n + j] * _inverse[k * n + j];
            tmp[r * n + k] = s;
        }
        Mix(_inverse, tmp, b, n);
    }

    // out[k, col] = Σ_r m[k, r] · x[r, col]: the transform along the first axis.
    private static void Mix(float[] m, ReadOnlySpan<float> x, Span<float> output, int n)
    {
        for (int k = 0; k < n; k++)
        {
            var o = output.Slice(k * n, n);
            o.Clear();
            for (int r = 0; r < n; r++)
            {
                float w = m[k * n + r];
                if (w == 0f) continue;
                var xr = x.Slice(r * n, n);
                for (int col = 0; col < n; col++) o[col] += w * xr[col];
            }
        }
    }

    private static double[,] Dct(int n)
    {
        var t = new double[n, n];
        for (int k = 0; k < n; k++)
        for (int i = 0; i < n; i++)
            t[k, i] = (k == 0 ? Math.Sqrt(1.0 / n) : Math.Sqrt(2.0 / n)) * Math.Cos(Math.PI * (2 * i + 1) * k / (2.0 * n));
        return t;
    }

    /// <summary>The 8-point biorthogonal 1.5 analysis (full three-level decomposition, periodic borders) with unit-norm
    /// rows: the approximation, the smoothed Haar detail of the coarsest level, the two details of the middle level
    /// (a Haar step between the 5-tap-smoothed halves) and the four Haar details of the finest.</summary>
    private static double[,] Bior15(int n)
    {
        if (n != 8) throw new ArgumentException($"the bior1.5 block transform is 8×8 only, got {n}");
        const double a = 0.353553390593274, b1 = 0.219417649252501, b2 = 0.449283757993216;
        const double c1 = 0.569359398342846, c2 = 0.402347308162278, c3 = 0.083506045090284, h = 0.707106781186547;
        return new double[,]
        {
            { a, a, a, a, a, a, a, a },
            { b1, b2, b2, b1, -b1, -b2, -b2, -b1 },
            { c1, c2, -c2, -c1, -c3, c3, -c3, c3 },
            { -c3, c3, -c3, c3, c1, c2, -c2, -c1 },
            { h, -h, 0, 0, 0, 0, 0, 0 },
            { 0, 0, h, -h, 0, 0, 0, 0 },
            { 0, 0, 0, 0, h, -h, 0, 0 },
            { 0, 0, 0, 0, 0, 0, h, -h },
        };
    }

    /// <summary>Kaiser(n, β)[i] = I₀(β·√(1 − (2i/(n−1) − 1)²)) / I₀(β), as an outer product.</summary>
    internal static float[] KaiserWindow(int n, double beta)
    {
        var k = new double[n];
        for (int i = 0; i < n; i++)
        {
            double r = n == 1 ? 0 : 2.0 * i / (n - 1) - 1;
            k[i] = BesselI0(beta * Math.Sqrt(1 - r * r)) / BesselI0(beta);
        }
        var w = new float[n * n];
        for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) w[i * n + j] = (float)(k[i] * k[j]);
        return w;
    }

    private static double BesselI0(double x)
    {
        double sum = 1, term = 1, q = x * x / 4;
        for (int m = 1; m < 50; m++)
        {
            term *= q / ((double)m * m);
            sum += term;
            if (term < 1e-17 * sum) break;
        }
        return sum;
    }

    private static double[,] Transpose(double[,] m)
    {
        int n = m.GetLength(0);
        var t = new double[n, n];
        for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) t[j, i] = m[i, j];
        return t;
    }

    private static float[] Flatten(double[,] m)
    {
        int n = m.GetLength(0);
        var f = new float[n * n];
        for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) f[i * n + j] = (float)m[i, j];
        return f;
    }

    /// <summary>Gauss–Jordan inverse with partial pivoting (the matrices are small and well conditioned).</summary>
    private static double[,] Invert(double[,] m)
    {
        int n = m.GetLength(0);
        var a = (double[,])m.Clone();
        var inv = new double[n, n];
        for (int i = 0; i < n; i++) inv[i, i] = 1;
        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < n; r++)
                if (Math.Abs(a[r, col]) > Math.Abs(a[pivot, col])) pivot = r;
            for (int j = 0; j < n; j++)
            {
                (a[col, j], a[pivot, j]) = (a[pivot, j], a[col, j]);
                (inv[col, j], inv[pivot, j]) = (inv[pivot, j], inv[col, j]);
            }
            double d = a[col, col];
            for (int j = 0; j < n; j++)
            {
                a[col, j] /= d;
                inv[col, j] /= d;
            }
            for (int r = 0; r < n; r++)
            {
                if (r == col) continue;
                double f = a[r, col];
                if (f == 0) continue;
                for (int j = 0; j < n; j++)
                {
                    a[r, j] -= f * a[col, j];
                    inv[r, j] -= f * inv[col, j];
                }
            }
        }
        return inv;
    }
}
