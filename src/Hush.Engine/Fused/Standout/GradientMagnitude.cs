using Hush.Engine.Kernels;

namespace Hush.Engine.Fused;

/// <summary>The spatial gradient magnitude √(dx² + dy²) of every unit from its plane's forward differences (the same
/// differences as <see cref="Ops.ForwardDifference"/>, 0 beyond the last column/row), in one pass: T-standout's keep
/// decision (<see cref="FusedOps.StandoutKeep"/>). Vector body with a scalar tail that is its twin.</summary>
internal static class GradientMagnitude
{
    // m[planes, h, w] = √(dx² + dy²) of the forward differences (no gradient: T-standout's keep decision)
    public static void Forward(float[] m, float[] x, int planes, int h, int w) =>
        Par.For(planes, PlaneParts.For((long)planes * h * w), new Magnitudes(m, x, h, w));

    // Forward over the planes p in [p0, p1)
    private readonly struct Magnitudes(float[] m, float[] x, int h, int w) : IRangeBody
    {
        public void Run(int p0, int p1)
        {
            for (int p = p0; p < p1; p++)
            {
                for (int i = 0; i < h; i++)
                {
                    int o = (p * h + i) * w, j = 0;
                    if (i < h - 1 && System.Numerics.Vector.IsHardwareAccelerated)
                    {
                        // Inner rows, all columns but the last: both differences exist (the scalar loop below is the twin).
                        int lanes = System.Numerics.Vector<float>.Count;
                        var xs = x.AsSpan(o);
                        var ms = m.AsSpan(o);
                        for (; j <= w - 1 - lanes; j += lanes)
                        {
                            var c = new System.Numerics.Vector<float>(xs[j..]);
                            var dx = new System.Numerics.Vector<float>(xs[(j + 1)..]) - c;
                            var dy = new System.Numerics.Vector<float>(xs[(j + w)..]) - c;
                            System.Numerics.Vector.SquareRoot(dx * dx + dy * dy).CopyTo(ms[j..]);
                        }
                    }

                    for (; j < w; j++)
                    {
                        float dx = j < w - 1 ? x[o + j + 1] - x[o + j] : 0f;
                        float dy = i < h - 1 ? x[o + w + j] - x[o + j] : 0f;
                        m[o + j] = MathF.Sqrt(dx * dx + dy * dy);
                    }
                }
            }
        }
    }
}
