using System.Runtime.CompilerServices;

namespace Hush.Engine.Kernels.Winograd;

/// <summary>
/// The transforms of Winograd's minimal filtering F(4×4, 3×3) (Lavin &amp; Gray 2016): a 6×6 input patch d and a
/// 3×3 filter g give the 4×4 correlation output Y = Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A with 36 multiplications instead of 144.
/// <code>
///      | 4  0 -5  0  1  0 |        | 1/4    0     0   |        | 1  1  1  1  1  0 |
///      | 0 -4 -4  1  1  0 |        | -1/6 -1/6  -1/6  |   Aᵀ = | 0  1 -1  2 -2  0 |
/// Bᵀ = | 0  4 -4 -1  1  0 |    G = | -1/6  1/6  -1/6  |        | 0  1  1  4  4  0 |
///      | 0 -2 -1  2  1  0 |        | 1/24  1/12  1/6  |        | 0  1 -1  8 -8  1 |
///      | 0  2 -1 -2  1  0 |        | 1/24 -1/12  1/6  |
///      | 0  4  0 -5  0  1 |        | 0      0     1   |
/// </code>
/// The gradients follow from the same matrices: dM = A dY Aᵀ (the output transform's adjoint) and
/// dg = Gᵀ dU G (the filter transform's adjoint). Every vector transform works on one vector of channels at a
/// time (channels are the innermost axis of the padded buffers), so the same code serves Vector512, Vector256
/// and scalar instantiations; filter transforms are scalar, in double, once per call.
/// </summary>
internal static unsafe class WinogradTransforms
{
    public const int Alpha = 6;     // input patch side
    public const int Out = 4;       // output tile side
    public const int Positions = 36; // Alpha²

    // v[ξ*vStride] = (Bᵀ d B)[ξ], ξ = 6*row + col, d[i, j] = p[i*rowStride + j*colStride] (one channel vector each).
    // tmp: scratch of 36 vectors.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Input<TO, TV>(float* p, nint rowStride, nint colStride, float* tmp, float* v, nint vStride)
        where TO : struct, IVecOps<TV>
        where TV : struct
    {
        nint vc = TO.Count;
        for (int j = 0; j < Alpha; j++)
        {
            float* c = p + j * colStride;
            BT<TO, TV>(TO.Load(c), TO.Load(c + rowStride), TO.Load(c + 2 * rowStride), TO.Load(c + 3 * rowStride),
                TO.Load(c + 4 * rowStride), TO.Load(c + 5 * rowStride), tmp + j * vc, Alpha * vc);
        }

        for (int i = 0; i < Alpha; i++)
        {
            float* r = tmp + i * Alpha * vc;
            BT<TO, TV>(TO.Load(r), TO.Load(r + vc), TO.Load(r + 2 * vc), TO.Load(r + 3 * vc), TO.Load(r + 4 * vc),
                TO.Load(r + 5 * vc), v + i * Alpha * vStride, vStride);
        }
    }

    // y[oi*yRow + oj*yCol] = (Aᵀ M A)[oi, oj], M[ξ] = m[ξ*mStride] (one channel vector each). tmp: 24 vectors.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Output<TO, TV>(float* m, nint mStride, float* tmp, float* y, nint yRow, nint yCol)
        where TO : struct, IVecOps<TV>
        where TV : struct
    {
        nint vc = TO.Count;
        for (int j = 0; j < Alpha; j++)
        {
            float* c = m + j * mStride;
            nint row = Alpha * mStride;
            AT<TO, TV>(TO.Load(c), TO.Load(c + row), TO.Load(c + 2 * row), TO.Load(c + 3 * row), TO.Load(c + 4 * row),
                TO.Load(c + 5 * row), tmp + j * vc, Alpha * vc);
        }

        for (int i = 0; i < Out; i++)
        {
            float* r = tmp + i * Alpha * vc;
            AT<TO, TV>(TO.Load(r), TO.Load(r + vc), TO.Load(r + 2 * vc), TO.Load(r + 3 * vc), TO.Load(r + 4 * vc),
                TO.Load(r + 5 * vc), y + i * yRow, yCol);
        }
    }

    // dm[ξ*dmStride] = (A e Aᵀ)[ξ] for the 4×4 output-gradient tile e[i, j] = e[i*rowStride + j*colStride]. tmp: 24 vectors.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void OutputAdjoint<TO, TV>(float* e, nint rowStride, nint colStride, float* tmp, float* dm, nint dmStride)
        where TO : struct, IVecOps<TV>
        where TV : struct
    {
        nint vc = TO.Count;
        for (int j = 0; j < Out; j++)
        {
            float* c = e + j * colStride;
            A<TO, TV>(TO.Load(c), TO.Load(c + rowStride), TO.Load(c + 2 * rowStride), TO.Load(c + 3 * rowStride),
                tmp + j * vc, Out * vc);
        }

        for (int i = 0; i < Alpha; i++)
        {
            float* r = tmp + i * Out * vc;
            A<TO, TV>(TO.Load(r), TO.Load(r + vc), TO.Load(r + 2 * vc), TO.Load(r + 3 * vc), dm + i * Alpha * dmStride, dmStride);
        }
    }

    // out[k*s] = (Bᵀ d)[k]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void BT<TO, TV>(TV d0, TV d1, TV d2, TV d3, TV d4, TV d5, float* o, nint s)
        where TO : struct, IVecOps<TV>
        where TV : struct
    {
        TV four = TO.Splat(4f), minusFour = TO.Splat(-4f), minusFive = TO.Splat(-5f), two = TO.Splat(2f), minusTwo = TO.Splat(-2f);
        TV d31 = TO.Sub(d3, d1), d42 = TO.Sub(d4, d2);
        TO.Store(o, TO.Fma(minusFive, d2, TO.Fma(four, d0, d4)));
        TO.Store(o + s, TO.Fma(minusFour, TO.Add(d1, d2), TO.Add(d3, d4)));
        TO.Store(o + 2 * s, TO.Fma(four, TO.Sub(d1, d2), TO.Sub(d4, d3)));
        TO.Store(o + 3 * s, TO.Fma(two, d31, d42));
        TO.Store(o + 4 * s, TO.Fma(minusTwo, d31, d42));
        TO.Store(o + 5 * s, TO.Fma(minusFive, d3, TO.Fma(four, d1, d5)));
    }

    // out[k*s] = (Aᵀ m)[k], k < 4
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AT<TO, TV>(TV m0, TV m1, TV m2, TV m3, TV m4, TV m5, float* o, nint s)
        where TO : struct, IVecOps<TV>
        where TV : struct
    {
        TV s12 = TO.Add(m1, m2), d12 = TO.Sub(m1, m2), s34 = TO.Add(m3, m4), d34 = TO.Sub(m3, m4);
        TO.Store(o, TO.Add(TO.Add(m0, s12), s34));
        TO.Store(o + s, TO.Fma(TO.Splat(2f), d34, d12));
        TO.Store(o + 2 * s, TO.Fma(TO.Splat(4f), s34, s12));
        TO.Store(o + 3 * s, TO.Add(TO.Fma(TO.Splat(8f), d34, d12), m5));
    }

    // out[k*s] = (A e)[k], k < 6
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void A<TO, TV>(TV e0, TV e1, TV e2, TV e3, float* o, nint s)
        where TO : struct, IVecOps<TV>
        where TV : struct
    {
        TV s02 = TO.Add(e0, e2), s13 = TO.Add(e1, e3);
        TV q02 = TO.Fma(TO.Splat(4f), e2, e0), q13 = TO.Fma(TO.Splat(4f), e3, e1);
        TO.Store(o, e0);
        TO.Store(o + s, TO.Add(s02, s13));
        TO.Store(o + 2 * s, TO.Sub(s02, s13));
        TO.Store(o + 3 * s, TO.Fma(TO.Splat(2f), q13, q02));
        TO.Store(o + 4 * s, TO.Fma(TO.Splat(-2f), q13, q02));
        TO.Store(o + 5 * s, e3);
    }

    // o[a*s] = (G g)[a], a < 6
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GMul(double g0, double g1, double g2, Span<double> o, int at, int s)
    {
        double even = g0 + g2;
        o[at] = g0 / 4;
        o[at + s] = -(even + g1) / 6;
        o[at + 2 * s] = -(even - g1) / 6;
        o[at + 3 * s] = g0 / 24 + g1 / 12 + g2 / 6;
        o[at + 4 * s] = g0 / 24 - g1 / 12 + g2 / 6;
        o[at + 5 * s] = g2;
    }

    // o[i*s] = (Gᵀ u)[i], i < 3
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GtMul(double u0, double u1, double u2, double u3, double u4, double u5, Span<double> o, int at, int s)
    {
        o[at] = u0 / 4 - (u1 + u2) / 6 + (u3 + u4) / 24;
        o[at + s] = (u2 - u1) / 6 + (u3 - u4) / 12;
        o[at + 2 * s] = (u3 + u4 - u1 - u2) / 6 + u5;
    }

    /// <summary>u [36, rows, cols] = G g Gᵀ for every filter. Forward (<paramref name="adjoint"/> false):
    /// rows = Cin, cols = Cout, g = w[co, ci]. Backward-data (true): rows = Cout, cols = Cin and g = w[co, ci]
    /// rotated by 180°, the filter of the transposed convolution.</summary>
    /// <param name="w">w [Cout, Cin, 3, 3]</param>
    /// <param name="rows">row count of u (≥ Cin forward, ≥ Cout adjoint); rows and columns past the real channels are zero</param>
    /// <param name="cols">column count of u (≥ Cout forward, ≥ Cin adjoint)</param>
    public static void Filters(float[] w, int cout, int cin, bool adjoint, float[] u, int rows, int cols)
    {
        if (rows != (adjoint ? cout : cin) || cols != (adjoint ? cin : cout)) Array.Clear(u, 0, Positions * rows * cols);
        Par.For(cout, new FilterParts(w, cout, cin, adjoint, u, rows, cols));
    }

    // Filters over the output channels co in [co0, co1)
    private readonly struct FilterParts(float[] w, int cout, int cin, bool adjoint, float[] u, int rows, int cols) : IRangeBody
    {
        public void Run(int co0, int co1) => FilterRange(w, cout, cin, adjoint, u, rows, cols, co0, co1);
    }

    private static void FilterRange(float[] w, int cout, int cin, bool adjoint, float[] u, int rows, int cols, int co0, int co1)
    {
        Span<double> g = stackalloc double[9];
        Span<double> t = stackalloc double[18]; // t[a, j] = (G g)[a, j]
        Span<double> q = stackalloc double[36]; // q[a, b] = (G g Gᵀ)[a, b]
        for (int co = co0; co < co1; co++)
        {
            for (int ci = 0; ci < cin; ci++)
            {
                int f = (co * cin + ci) * 9;
                for (int k = 0; k < 9; k++) g[k] = adjoint ? w[f + 8 - k] : w[f + k]; // 180° rotation = reversed order
                for (int j = 0; j < 3; j++) GMul(g[j], g[3 + j], g[6 + j], t, j, 3);
                for (int a = 0; a < Alpha; a++) GMul(t[a * 3], t[a * 3 + 1], t[a * 3 + 2], q, a * Alpha, 1);
                int at = adjoint ? co * cols + ci : ci * cols + co;
                nint plane = (nint)rows * cols;
                for (int xi = 0; xi < Positions; xi++) u[xi * plane + at] = (float)q[xi];
            }
        }
    }

    /// <summary>dW[co, ci, i, j] += (Gᵀ dU[co, ci] G)[i, j] with dU [36, kp, cp] (kp ≥ Cout, cp ≥ Cin).</summary>
    public static void FilterGradients(float[] du, int cout, int cin, float[] dW, int kp, int cp) =>
        Par.For(cout, new FilterGradientParts(du, cin, dW, kp, cp));

    // FilterGradients over the output channels co in [co0, co1)
    private readonly struct FilterGradientParts(float[] du, int cin, float[] dW, int kp, int cp) : IRangeBody
    {
        public void Run(int co0, int co1)
        {
            for (int co = co0; co < co1; co++) FilterGradientRange(du, kp * cp, co * cp, co * cin, cin, dW);
        }
    }

    // One output channel: dU entries at from .. from + count - 1, dW filters at to .. to + count - 1.
    private static void FilterGradientRange(float[] du, int plane, int from, int to, int count, float[] dW)
    {
        Span<double> d = stackalloc double[36];
        Span<double> t = stackalloc double[18]; // t[i, b] = (Gᵀ dU)[i, b]
        Span<double> r = stackalloc double[9];
        for (int f = 0; f < count; f++)
        {
            int at = to + f;
            for (int xi = 0; xi < Positions; xi++) d[xi] = du[xi * plane + from + f];
            for (int b = 0; b < Alpha; b++) GtMul(d[b], d[6 + b], d[12 + b], d[18 + b], d[24 + b], d[30 + b], t, b, Alpha);
            for (int i = 0; i < 3; i++)
            {
                int o = i * Alpha;
                GtMul(t[o], t[o + 1], t[o + 2], t[o + 3], t[o + 4], t[o + 5], r, i * 3, 1);
            }

            for (int k = 0; k < 9; k++) dW[at * 9 + k] += (float)r[k];
        }
    }
}
