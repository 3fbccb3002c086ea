namespace Hush.Engine.Kernels.Reference;

/// <summary>Obviously-correct scalar twins of the Conv2d kernels (any stride / padding / dilation / groups).
/// Shapes: x [N, Cin, H, W], w [Cout, Cin/groups, KH, KW], bias [Cout], y [N, Cout, Ho, Wo]. Backward accumulates.</summary>
internal static class ConvReference
{
    // y[n, co, oy, ox] = bias[co] + sum_(cig, i, j) w[co, cig, i, j] * x[n, g*CinG + cig, oy*s - p + i*d, ox*s - p + j*d]
    public static void Forward(in ConvGeometry g, float[] y, float[] x, float[] w, float[]? bias)
    {
        for (int n = 0; n < g.N; n++)
        for (int co = 0; co < g.Cout; co++)
        for (int oy = 0; oy < g.Ho; oy++)
        for (int ox = 0; ox < g.Wo; ox++)
        {
            float acc = 0f;
            int group = co / g.CoutG;
            for (int cig = 0; cig < g.CinG; cig++)
            for (int i = 0; i < g.KH; i++)
            for (int j = 0; j < g.KW; j++)
            {
                int iy = oy * g.Stride - g.Pad + i * g.Dil, ix = ox * g.Stride - g.Pad + j * g.Dil;
                if (iy < 0 || iy >= g.H || ix < 0 || ix >= g.W) continue;
                acc += w[((co * g.CinG + cig) * g.KH + i) * g.KW + j] * x[((n * g.Cin + group * g.CinG + cig) * g.H + iy) * g.W + ix];
            }

            y[((n * g.Cout + co) * g.Ho + oy) * g.Wo + ox] = acc + (bias is null ? 0f : bias[co]);
        }
    }

    // dX[n, ci, iy, ix] += w[co, cig, i, j] * dY[n, co, oy, ox] for every (co, i, j, oy, ox) that reads x[n, ci, iy, ix]
    public static void BackwardData(in ConvGeometry g, float[] dX, float[] dY, float[] w)
    {
        for (int n = 0; n < g.N; n++)
        for (int co = 0; co < g.Cout; co++)
        for (int oy = 0; oy < g.Ho; oy++)
        for (int ox = 0; ox < g.Wo; ox++)
        {
            float d = dY[((n * g.Cout + co) * g.Ho + oy) * g.Wo + ox];
            int group = co / g.CoutG;
            for (int cig = 0; cig < g.CinG; cig++)
            for (int i = 0; i < g.KH; i++)
            for (int j = 0; j < g.KW; j++)
            {
                int iy = oy * g.Stride - g.Pad + i * g.Dil, ix = ox * g.Stride - g.Pad + j * g.Dil;
                if (iy < 0 || iy >= g.H || ix < 0 || ix >= g.W) continue;
                dX[((n * g.Cin + group * g.CinG + cig) * g.H + iy) * g.W + ix] += w[((co * g.CinG + cig) * g.KH + i) * g.KW + j] * d;
            }
        }
    }

    // dW[co, cig, i, j] += sum_(n, oy, ox) dY[n, co, oy, ox] * x[n, ci, iy, ix]     (accumulated in double)
    public static void BackwardWeight(in ConvGeometry g, float[] dW, float[] dY, float[] x)
    {
        for (int co = 0; co < g.Cout; co++)
        for (int cig = 0; cig < g.CinG; cig++)
        for (int i = 0; i < g.KH; i++)
        for (int j = 0; j < g.KW; j++)
        {
            double acc = 0;
            int ci = co / g.CoutG * g.CinG + cig;
            for (int n = 0; n < g.N; n++)
            for (int oy = 0; oy < g.Ho; oy++)
            for (int ox = 0; ox < g.Wo; ox++)
            {
                int iy = oy * g.Stride - g.Pad + i * g.Dil, ix = ox * g.Stride - g.Pad + j * g.Dil;
                if (iy < 0 || iy >= g.H || ix < 0 || ix >= g.W) continue;
                acc += (double)dY[((n * g.Cout + co) * g.Ho + oy) * g.Wo + ox] * x[((n * g.Cin + ci) * g.H + iy) * g.W + ix];
            }

            dW[((co * g.CinG + cig) * g.KH + i) * g.KW + j] += (float)acc;
        }
    }

    // dB[co] += sum_(n, oy, ox) dY[n, co, oy, ox]
    public static void BackwardBias(in ConvGeometry g, float[] dB, float[] dY)
    {
        for (int co = 0; co < g.Cout; co++)
        {
            double acc = 0;
            for (int n = 0; n < g.N; n++)
            for (int k = 0; k < g.Ho * g.Wo; k++)
                acc += dY[(n * g.Cout + co) * g.Ho * g.Wo + k];
            dB[co] += (float)acc;
        }
    }
}
