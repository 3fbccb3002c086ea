using System.Numerics;
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
/// and scalar instantiations; the filter transform and its adjoint (the weight gradient's) run once per call, in float
/// vectors along a channel axis of the filters.
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

    /// <summary>u [36, rows, cols] = G g Gᵀ for every filter. Forward (<paramref name="adjoint"/> false):
    /// rows = Cin, cols = Cout, g = w[co, ci]. Backward-data (true): rows = Cout, cols = Cin and g = w[co, ci]
    /// rotated by 180°, the filter of the transposed convolution.</summary>
    /// <param name="w">w [Cout, Cin, 3, 3]</param>
    /// <param name="rows">row count of u (≥ Cin forward, ≥ Cout adjoint); rows and columns past the real channels are zero</param>
    /// <param name="cols">column count of u (≥ Cout forward, ≥ Cin adjoint)</param>
    public static void Filters(float[] w, int cout, int cin, bool adjoint, float[] u, int rows, int cols)
    {
        if (rows != (adjoint ? cout : cin) || cols != (adjoint ? cin : cout)) Array.Clear(u, 0, Positions * rows * cols);
        Par.For(adjoint ? cout : cin, new FilterRows(w, cout, cin, adjoint, u, rows, cols));
    }

    // Filters for the rows r in [r0, r1) of u (ci forward, co adjoint), vectors along u's columns: each row's 9 taps are
    // first gathered into g [9, cols] (so the transform reads and writes whole vectors), then transformed in float.
    private readonly struct FilterRows(float[] w, int cout, int cin, bool adjoint, float[] u, int rows, int cols) : IRangeBody
    {
        public void Run(int r0, int r1)
        {
            int real = adjoint ? cin : cout; // columns that hold filters
            float[] taps = Scratch.RentLocal(9 * cols);
            Array.Clear(taps, 0, 9 * cols);
            nint plane = (nint)rows * cols;
            for (int r = r0; r < r1; r++)
            {
                for (int c = 0; c < real; c++)
                {
                    int f = adjoint ? (r * cin + c) * 9 : (c * cin + r) * 9;
                    for (int k = 0; k < 9; k++) taps[k * cols + c] = adjoint ? w[f + 8 - k] : w[f + k]; // 180° rotation = reversed order
                }

                int at = 0;
                if (Vector.IsHardwareAccelerated)
                {
                    for (; at <= cols - Vector<float>.Count; at += Vector<float>.Count) FilterVector(taps, at, cols, u, plane, r * cols + at, false);
                }

                for (; at < cols; at++) FilterVector(taps, at, cols, u, plane, r * cols + at, true);
            }

            Scratch.ReturnLocal(taps);
        }
    }

    // u[ξ*plane + to + lane] = (G g Gᵀ)[ξ] for the filters g[k] = taps[k*cols + at + lane]: a vector of them, or with
    // one lane (the tail) the first only.
    private static void FilterVector(float[] taps, int at, int cols, float[] u, nint plane, int to, bool oneLane)
    {
        Span<Vector<float>> t = stackalloc Vector<float>[18]; // t[a, j] = (G g)[a, j]
        for (int j = 0; j < 3; j++)
        {
            Vector<float> Tap(int k) => oneLane ? new Vector<float>(taps[k * cols + at]) : new Vector<float>(taps, k * cols + at);
            GMul(Tap(j), Tap(3 + j), Tap(6 + j), t, j, 3);
        }

        Span<Vector<float>> q = stackalloc Vector<float>[6];
        for (int a = 0; a < Alpha; a++)
        {
            GMul(t[a * 3], t[a * 3 + 1], t[a * 3 + 2], q, 0, 1);
            for (int b = 0; b < Alpha; b++)
            {
                int i = (int)((a * Alpha + b) * plane + to);
                if (oneLane) u[i] = q[b][0];
                else q[b].CopyTo(u, i);
            }
        }
    }

    // o[a*s] = (G g)[a], a < 6, per lane, in float
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GMul(Vector<float> g0, Vector<float> g1, Vector<float> g2, Span<Vector<float>> o, int at, int s)
    {
        Vector<float> even = g0 + g2, sixth = new(1f / 6), twelfth = new(1f / 12), quarter = new(0.25f);
        Vector<float> outer = g0 * new Vector<float>(1f / 24) + g2 * sixth, middle = g1 * twelfth;
        o[at] = g0 * quarter;
        o[at + s] = -(even + g1) * sixth;
        o[at + 2 * s] = -(even - g1) * sixth;
        o[at + 3 * s] = outer + middle;
        o[at + 4 * s] = outer - middle;
        o[at + 5 * s] = g2;
    }

    /// <summary>dW[co, ci, i, j] += (Gᵀ dU[co, ci] G)[i, j] with dU [36, kp, cp] (kp ≥ Cout, cp ≥ Cin).</summary>
    public static void FilterGradients(float[] du, int cout, int cin, float[] dW, int kp, int cp) =>
        Par.For(cout, new FilterGradientRows(du, cin, dW, kp, cp));

    // FilterGradients over the output channels co in [co0, co1), in float vectors along ci (dU's contiguous axis); the
    // 9 taps of a vector of filters go through a [9, cp] buffer into dW's [.., 9] layout.
    private readonly struct FilterGradientRows(float[] du, int cin, float[] dW, int kp, int cp) : IRangeBody
    {
        public void Run(int co0, int co1)
        {
            float[] taps = Scratch.RentLocal(9 * cp);
            int plane = kp * cp;
            for (int co = co0; co < co1; co++)
            {
                int ci = 0;
                if (Vector.IsHardwareAccelerated)
                {
                    for (; ci <= cin - Vector<float>.Count; ci += Vector<float>.Count) FilterGradientVector(du, plane, co * cp + ci, taps, ci, cp, false);
                }

                for (; ci < cin; ci++) FilterGradientVector(du, plane, co * cp + ci, taps, ci, cp, true);
                for (int c = 0; c < cin; c++)
                {
                    int at = (co * cin + c) * 9;
                    for (int k = 0; k < 9; k++) dW[at + k] += taps[k * cp + c];
                }
            }

            Scratch.ReturnLocal(taps);
        }
    }

    // taps[k*cp + at + lane] = (Gᵀ d G)[k] for d[ξ] = du[ξ*plane + from + lane]: a vector of filters, or with one lane
    // (the tail) the first lane only.
    private static void FilterGradientVector(float[] du, int plane, int from, float[] taps, int at, int cp, bool oneLane)
    {
        Span<Vector<float>> d = stackalloc Vector<float>[36];
        for (int xi = 0; xi < Positions; xi++)
            d[xi] = oneLane ? new Vector<float>(du[xi * plane + from]) : new Vector<float>(du, xi * plane + from);
        Span<Vector<float>> t = stackalloc Vector<float>[18]; // t[i, b] = (Gᵀ dU)[i, b]
        for (int b = 0; b < Alpha; b++) GtMul(d[b], d[6 + b], d[12 + b], d[18 + b], d[24 + b], d[30 + b], t, b, Alpha);
        Span<Vector<float>> r = stackalloc Vector<float>[3];
        for (int i = 0; i < 3; i++)
        {
            int o = i * Alpha;
            GtMul(t[o], t[o + 1], t[o + 2], t[o + 3], t[o + 4], t[o + 5], r, 0, 1);
            for (int j = 0; j < 3; j++)
            {
                if (oneLane) taps[(i * 3 + j) * cp + at] = r[j][0];
                else r[j].CopyTo(taps, (i * 3 + j) * cp + at);
            }
        }
    }

    // o[i*s] = (Gᵀ u)[i], i < 3, per lane, in float
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GtMul(Vector<float> u0, Vector<float> u1, Vector<float> u2, Vector<float> u3, Vector<float> u4, Vector<float> u5,
        Span<Vector<float>> o, int at, int s)
    {
        Vector<float> sixth = new(1f / 6), s12 = u1 + u2, s34 = u3 + u4;
        o[at] = u0 * new Vector<float>(0.25f) - s12 * sixth + s34 * new Vector<float>(1f / 24);
        o[at + s] = (u2 - u1) * sixth + (u3 - u4) * new Vector<float>(1f / 12);
        o[at + 2 * s] = (s34 - s12) * sixth + u5;
    }
}
