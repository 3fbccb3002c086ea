namespace Hush.Engine;

/// <summary>Grad-mode switch and the reverse pass. The gradient rules themselves live next to each op in <see cref="Ops"/>.</summary>
public static class Autograd
{
    // AsyncLocal so a NoGrad scope follows the logical flow (also across awaits) and never leaks to other threads.
    private static readonly AsyncLocal<int> NoGradDepth = new();

    // Depth of the NoGradOnThisThread scopes open on this thread: a plain counter, so opening one allocates nothing (an
    // AsyncLocal change copies the execution context, which a prediction pass per step cannot afford).
    [ThreadStatic] private static int _threadDepth;

    /// <summary>Whether operations on this thread record the graph for <see cref="Tensor.Backward"/> (false inside a no-grad scope).</summary>
    public static bool IsEnabled => _threadDepth == 0 && NoGradDepth.Value == 0;

    /// <summary>As <see cref="NoGrad"/> for synchronous code: the scope holds on the calling thread only (not across an
    /// await) and costs no allocation, for the no-gradient passes inside a training loop. Dispose it on the thread that
    /// opened it.</summary>
    public static ThreadNoGradScope NoGradOnThisThread()
    {
        _threadDepth++;
        return new ThreadNoGradScope(Environment.CurrentManagedThreadId);
    }

    /// <summary>A scope of <see cref="NoGradOnThisThread"/>; disposing it closes the scope.</summary>
    public readonly struct ThreadNoGradScope : IDisposable
    {
        private readonly int _thread;

        internal ThreadNoGradScope(int thread) => _thread = thread;

        /// <summary>Closes the scope (on the thread that opened it).</summary>
        public void Dispose()
        {
            if (_thread == 0) return; // a default value opened nothing
            if (Environment.CurrentManagedThreadId != _thread)
                throw new InvalidOperationException("A NoGradOnThisThread scope must be closed on the thread that opened it.");
            _threadDepth--;
        }
    }

    /// <summary>Ops run inside the returned scope record nothing. Scopes nest.</summary>
    public static IDisposable NoGrad()
    {
        NoGradDepth.Value++;
        return new NoGradScope();
    }

    private sealed class NoGradScope : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            NoGradDepth.Value--;
        }
    }

    internal static void RunBackward(Tensor root)
    {
        if (root.Length != 1) throw new InvalidOperationException($"Backward() needs a single-element tensor, got shape [{string.Join(", ", root.Shape)}].");
        if (!root.RequiresGrad) throw new InvalidOperationException("Backward() on a tensor that does not require grad (no graph was recorded).");

        // The traversal's collections are reused from pass to pass (a pass allocates nothing after the first); a
        // backward pass started from inside a rule would find none cached and make its own.
        Traversal walk = _traversal ?? new Traversal();
        _traversal = null;
        try
        {
            Diagnostics.OpProfile.Mark("(until backward)");
            List<Tensor> order = walk.TopologicalOrder(root);
            root.EnsureGrad()[0] += 1f;
            for (int i = order.Count - 1; i >= 0; i--)
            {
                Tensor t = order[i];
                if (t.Grad is null) continue;
                if (t.Rule is null && t.BackwardRule is null) continue;
                if (Diagnostics.OpProfile.IsOn) Diagnostics.OpProfile.Backward(t, t.Grad);
                else ApplyRule(t, t.Grad);
                t.ReleaseGrad(); // intermediate gradients are not kept
            }
        }
        finally
        {
            walk.Clear();
            _traversal = walk;
        }
    }

    /// <summary>Runs t's gradient rule (a static rule or a recorded closure) on its gradient.</summary>
    internal static void ApplyRule(Tensor t, float[] grad)
    {
        if (t.Rule is not null) t.Rule(t, grad);
        else t.BackwardRule!(grad);
    }

    [ThreadStatic] private static Traversal? _traversal;

    private sealed class Traversal
    {
        private readonly List<Tensor> _order = new();
        private readonly HashSet<Tensor> _visited = new(ReferenceEqualityComparer.Instance);
        private readonly Stack<(Tensor Node, int NextParent)> _stack = new();

        public void Clear()
        {
            _order.Clear();
            _visited.Clear();
            _stack.Clear();
        }

        // Post-order DFS over parents that require grad: every tensor appears after all of its inputs.
        public List<Tensor> TopologicalOrder(Tensor root)
        {
            var (order, visited, stack) = (_order, _visited, _stack);
            visited.Add(root);
            stack.Push((root, 0));
            while (stack.Count > 0)
            {
                (Tensor node, int next) = stack.Pop();
                if (next < node.Parents.Length)
                {
                    stack.Push((node, next + 1));
                    Tensor p = node.Parents[next];
                    if (p.RequiresGrad && visited.Add(p)) stack.Push((p, 0));
                }
                else
                {
                    order.Add(node);
                }
            }

            return order;
        }
    }
}
