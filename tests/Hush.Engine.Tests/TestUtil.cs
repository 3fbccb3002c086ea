using Hush.Engine;

namespace Hush.Engine.Tests;

internal static class TestUtil
{
    /// <summary>An engine context of the test's own with <paramref name="threads"/> threads, entered on the calling
    /// thread until disposed: tests that run at the same time neither change its thread split nor share its workers
    /// and scratch buffers.</summary>
    public static EngineContext.Borrowed Threads(int threads) => EngineContext.Borrow(threads);

    /// <summary>Runs each function on a thread of its own, all at once, and returns their results (the first failure
    /// is rethrown). Dedicated threads rather than tasks: each keeps its engine context for the whole run.</summary>
    public static T[] OnThreads<T>(params Func<T>[] work)
    {
        var results = new T[work.Length];
        var failures = new Exception?[work.Length];
        var threads = work.Select((f, i) => new Thread(() =>
        {
            try { results[i] = f(); }
            catch (Exception e) { failures[i] = e; }
        })).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        if (failures.FirstOrDefault(e => e is not null) is { } failure)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        return results;
    }

    public static float[] Random(Rng rng, int n, float lo = -1f, float hi = 1f)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = rng.Uniform(lo, hi);
        return a;
    }

    /// <summary>Values in ±[margin, 1]: keeps finite differences away from kinks at 0.</summary>
    public static float[] AwayFromZero(Rng rng, int n, float margin = 0.1f)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = rng.Uniform(margin, 1f) * (rng.NextFloat() < 0.5f ? -1f : 1f);
        return a;
    }

    public static int Numel(int[] shape) => shape.Aggregate(1, (a, b) => a * b);

    /// <summary>|expected - actual| &lt;= rtol * max(1, max|expected|) elementwise.</summary>
    /// <summary>Each float within tol of its double reference, relative to max(1, |expected|).</summary>
    public static void CloseToDouble(double[] expected, float[] actual, double tol, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            if (!(Math.Abs(expected[i] - actual[i]) <= tol * Math.Max(1.0, Math.Abs(expected[i]))))
                Assert.Fail($"{what}: element {i}: expected {expected[i]}, got {actual[i]}");
    }

    public static void AssertClose(float[] expected, float[] actual, double rtol, string what = "")
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = Math.Max(1.0, expected.Length == 0 ? 0 : expected.Max(v => Math.Abs((double)v)));
        for (int i = 0; i < expected.Length; i++)
        {
            double err = Math.Abs((double)expected[i] - actual[i]);
            if (!(err <= rtol * scale))
                Assert.Fail($"{what}: element {i}: expected {expected[i]}, got {actual[i]} (|err| {err:g3} > {rtol * scale:g3})");
        }
    }

    /// <summary>
    /// Checks d(loss)/d(input) for loss = sum(f(inputs) * r) (r fixed random) against central finite differences,
    /// evaluated in float32 with step <paramref name="eps"/>, on up to <paramref name="samples"/> elements per input.
    /// Returns the analytic gradients so callers can also compare them with a reference.
    /// </summary>
    public static float[][] GradCheck(Func<Tensor[], Tensor> f, Tensor[] inputs, ulong seed = 7, float eps = 1e-2f, double rtol = 2e-2, double atol = 2e-3, int samples = 24)
    {
        var rng = new Rng(seed);
        Tensor probe;
        using (Autograd.NoGrad()) probe = f(inputs);
        float[] r = Random(rng, probe.Length);
        Tensor rt = Tensor.FromArray(r, probe.Shape);
        Tensor Loss() => probe.Length == 1 ? Ops.Mul(f(inputs), rt) : Ops.Sum(Ops.Mul(f(inputs), rt));

        foreach (Tensor t in inputs) t.ZeroGrad();
        Loss().Backward();
        var grads = inputs.Select(t => (float[])t.Grad!.Clone()).ToArray();

        double Eval()
        {
            using (Autograd.NoGrad()) return Loss().Item();
        }

        for (int k = 0; k < inputs.Length; k++)
        {
            float[] x = inputs[k].Data;
            int count = Math.Min(samples, x.Length);
            for (int s = 0; s < count; s++)
            {
                int idx = x.Length <= samples ? s : (int)(rng.NextUInt64() % (ulong)x.Length);
                float orig = x[idx];
                x[idx] = orig + eps;
                double lp = Eval();
                x[idx] = orig - eps;
                double lm = Eval();
                x[idx] = orig;
                double fd = (lp - lm) / (2 * eps);
                double an = grads[k][idx];
                if (!(Math.Abs(fd - an) <= atol + rtol * Math.Max(Math.Abs(fd), Math.Abs(an))))
                    Assert.Fail($"input {k} element {idx}: analytic {an:g6} vs finite difference {fd:g6}");
            }
        }

        return grads;
    }
}
