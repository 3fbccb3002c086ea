# Generates Conv2dFast.Micro.cs (run: python3 Conv2dFast.Micro.gen.py). Named accumulators keep the JIT from spilling.
def fwd(CB, V):
    L = []
    name = f"Forward{CB}x{V}"
    L.append(f"    // Output tile: y[co0 .. co0+{CB}, oy, x0 .. x0+{V}*Count] (valid columns only) =|+= bias + sum_(ci,i,j) w[co, ci, i, j] * xp[ci, oy + i*dil, x0 + j*dil + lane]")
    L.append(f"    // src: &xp[n, 0, oy, x0]    xp [N, Cin, Hp, S] zero-padded input; srcPlane = Hp*S, srcRow = S")
    L.append(f"    // w:   [Cin, KH, KW, {CB}]      packed weights of this output-channel block")
    L.append(f"    // dst: &y[n, co0, oy, x0]    y [N, Cout, Ho, Wo]; dstPlane = Ho*Wo; valid = Wo - x0")
    L.append(f"    // bias: [{CB}] or null")
    L.append("    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // straight to optimized code: no Tier0 warm-up per instantiation")
    L.append(f"    private static void {name}<TO, TV>(float* src, nint srcPlane, nint srcRow, int cin, int kh, int kw, int dil, float* w, float* dst, nint dstPlane, int valid, float* bias, bool accumulate)")
    L.append("        where TO : struct, IVecOps<TV>")
    L.append("        where TV : struct")
    L.append("    {")
    accs = [f"a{c}_{v}" for c in range(CB) for v in range(V)]
    for c in range(CB):
        L.append("        TV " + ", ".join(f"a{c}_{v} = TO.Zero" for v in range(V)) + ";")
    L.append("        nint vc = TO.Count;")
    L.append(f"        float* tile = stackalloc float[{CB * V} * TO.Count]; // accumulators parked here: no register is live across the epilogue's calls")
    L.append("        nint rowStep = dil * srcRow;")
    L.append("        for (int ci = 0; ci < cin; ci++)")
    L.append("        {")
    L.append("            float* r = src + ci * srcPlane;")
    L.append("            for (int i = 0; i < kh; i++, r += rowStep)")
    L.append("            {")
    L.append("                float* p = r;")
    L.append(f"                for (int j = 0; j < kw; j++, p += dil, w += {CB})")
    L.append("                {")
    for v in range(V):
        off = "" if v == 0 else (f" + vc" if v == 1 else f" + {v} * vc")
        L.append(f"                    TV x{v} = TO.Load(p{off});")
    for c in range(CB):
        L.append(f"                    {'TV ' if c == 0 else ''}wv = TO.Splat(w[{c}]);")
        for v in range(V):
            L.append(f"                    a{c}_{v} = TO.Fma(x{v}, wv, a{c}_{v});")
    L.append("                }")
    L.append("            }")
    L.append("        }")
    L.append("")
    for c in range(CB):
        for v in range(V):
            L.append(f"        TO.Store(tile + {c * V + v} * vc, a{c}_{v});")
    L.append("")
    L.append(f"        for (int c = 0; c < {CB}; c++)")
    L.append("        {")
    L.append("            float b = bias == null ? 0f : bias[c];")
    L.append(f"            for (int v = 0; v < {V}; v++)")
    L.append(f"                Put<TO, TV>(dst + c * dstPlane + v * vc, TO.Load(tile + (c * {V} + v) * vc), valid - v * (int)vc, b, accumulate);")
    L.append("        }")
    L.append("    }")
    return "\n".join(L)

def wgt(CO, T):
    L = []
    name = f"Weight{CO}x{T}"
    L.append(f"    // dw[co0 + c, ci, i, j0 + t] += sum_(r < rows, lane < nv*Count) g[c, r, lane] * x[r, lane + t*dil]   for c < {CO}, t < {T}")
    L.append(f"    // x:  &xp[n, ci, y0 + i*dil, j0*dil]   xp [N, Cin, Hp, S]; xRow = S")
    L.append(f"    // g:  &gp[n, co0, y0, 0]              gp [N, Cout, Ho, Wv] zero-padded dY; gPlane = Ho*Wv, gRow = Wv")
    L.append(f"    // dw: &dW[co0, ci, i, j0]              dW [Cout, Cin, KH, KW]; dwCo = Cin*KH*KW")
    L.append("    [MethodImpl(MethodImplOptions.AggressiveOptimization)]")
    L.append(f"    private static void {name}<TO, TV>(float* x, nint xRow, float* g, nint gPlane, nint gRow, int rows, int nv, int dil, float* dw, nint dwCo)")
    L.append("        where TO : struct, IVecOps<TV>")
    L.append("        where TV : struct")
    L.append("    {")
    for c in range(CO):
        L.append("        TV " + ", ".join(f"a{c}_{t} = TO.Zero" for t in range(T)) + ";")
    L.append("        nint vc = TO.Count;")
    L.append("        nint end = nv * vc;")
    L.append("        for (int r = 0; r < rows; r++, x += xRow, g += gRow)")
    L.append("        {")
    for t in range(T):
        L.append(f"            float* x{t} = x" + ("" if t == 0 else (" + dil" if t == 1 else f" + {t} * dil")) + ";")
    for c in range(CO):
        L.append(f"            float* g{c} = g" + ("" if c == 0 else (" + gPlane" if c == 1 else f" + {c} * gPlane")) + ";")
    L.append("            for (nint k = 0; k < end; k += vc)")
    L.append("            {")
    for t in range(T):
        L.append(f"                TV xv{t} = TO.Load(x{t} + k);")
    for c in range(CO):
        L.append(f"                {'TV ' if c == 0 else ''}gv = TO.Load(g{c} + k);")
        for t in range(T):
            L.append(f"                a{c}_{t} = TO.Fma(gv, xv{t}, a{c}_{t});")
    L.append("            }")
    L.append("        }")
    L.append("")
    for c in range(CO):
        for t in range(T):
            L.append(f"        dw[{c} * dwCo + {t}] += TO.Sum(a{c}_{t});")
    L.append("    }")
    return "\n".join(L)

hdr = '''// <auto-generated> by Conv2dFast.Micro.gen.py (run: python3 Conv2dFast.Micro.gen.py) from the pattern in each
// method's comment (named accumulators keep the JIT from spilling them). Edit the generator, not this file. </auto-generated>
using System.Runtime.CompilerServices;

namespace Hush.Engine.Kernels;

/// <summary>Register-blocked micro-kernels of the stride-1 conv fast path (see Conv2dFast).</summary>
[SkipLocalsInit]
internal static unsafe partial class Conv2dFast
{
    /// <summary>Output-channel block of the forward kernel.</summary>
    public const int ForwardBlock = 6;

    /// <summary>Output-channel block of the weight-gradient kernel (4 with 16-register AVX2).</summary>
    public const int WeightBlock = 8;

    /// <summary>Taps (kw positions) per weight-gradient kernel call.</summary>
    public const int WeightTaps = 3;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put<TO, TV>(float* dst, TV v, int valid, float bias, bool accumulate)
        where TO : struct, IVecOps<TV>
        where TV : struct
    {
        if (valid <= 0) return;
        v = TO.Add(v, TO.Splat(bias));
        if (valid >= TO.Count)
        {
            if (accumulate) v = TO.Add(v, TO.Load(dst));
            TO.Store(dst, v);
        }
        else
        {
            PutPartial<TO, TV>(dst, v, valid, accumulate);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void PutPartial<TO, TV>(float* dst, TV v, int valid, bool accumulate)
        where TO : struct, IVecOps<TV>
        where TV : struct
    {
        float* tmp = stackalloc float[64];
        TO.Store(tmp, v);
        for (int i = 0; i < valid; i++) dst[i] = accumulate ? dst[i] + tmp[i] : tmp[i];
    }
'''
out = [hdr]
for cb, v in [(6,4),(6,2),(6,1),(3,4),(3,2),(3,1),(1,2),(1,1)]:
    out.append(fwd(cb, v)); out.append("")
for co, t in [(8,3),(8,1),(4,3),(4,1),(3,3),(3,1),(1,3),(1,1)]:
    out.append(wgt(co, t)); out.append("")
out[-1] = "}"
import os
open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "Conv2dFast.Micro.cs"), "w").write("\n".join(out) + "\n")
