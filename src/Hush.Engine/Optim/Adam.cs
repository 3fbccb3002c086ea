namespace Hush.Engine.Optim;

/// <summary>
/// torch.optim.Adam (amsgrad = false, maximize = false, single-tensor path), per parameter element:
/// g = grad + wd*p;  m = lerp(m, g, 1-b1);  v = b2*v + (1-b2)*g*g;
/// denom = sqrt(v) / sqrt(1 - b2^t) + eps;  p -= (lr / (1 - b1^t)) * m / denom.
/// Bias corrections and the step size are computed in double, as Python floats are in torch.
/// Parameters whose Grad is still null are skipped this step (one step count is shared by all parameters).
/// </summary>
public sealed class Adam
{
    private readonly Tensor[] _params;
    private readonly float[][] _m, _v;
    private readonly float _beta1, _beta2, _eps, _weightDecay;

    /// <summary>Adam (Kingma &amp; Ba) over <paramref name="parameters"/> with the usual β1, β2 and ε, and optional weight decay.</summary>
    public Adam(IEnumerable<Tensor> parameters, float lr = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f, float weightDecay = 0f)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _params = parameters.ToArray();
        foreach (Tensor p in _params)
        {
            if (!p.RequiresGrad) throw new ArgumentException("Adam: every parameter must require grad.", nameof(parameters));
        }

        if (!(lr >= 0)) throw new ArgumentOutOfRangeException(nameof(lr));
        if (!(beta1 >= 0 && beta1 < 1)) throw new ArgumentOutOfRangeException(nameof(beta1));
        if (!(beta2 >= 0 && beta2 < 1)) throw new ArgumentOutOfRangeException(nameof(beta2));
        if (!(eps >= 0)) throw new ArgumentOutOfRangeException(nameof(eps));
        if (!(weightDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(weightDecay));
        LearningRate = lr;
        _beta1 = beta1;
        _beta2 = beta2;
        _eps = eps;
        _weightDecay = weightDecay;
        _m = _params.Select(p => new float[p.Length]).ToArray();
        _v = _params.Select(p => new float[p.Length]).ToArray();
    }

    /// <summary>The learning rate of the next step (a scheduler may change it).</summary>
    public float LearningRate { get; set; }

    /// <summary>Steps taken so far (for the bias correction).</summary>
    public int StepCount { get; private set; }

    /// <summary>A copy of the optimiser's state (step count, first and second moments per parameter), so a saved
    /// run can go on with the very same updates.</summary>
    public AdamState SaveState() =>
        new(StepCount, _m.Select(a => (float[])a.Clone()).ToArray(), _v.Select(a => (float[])a.Clone()).ToArray());

    /// <summary>Puts back a state <see cref="SaveState"/> returned for the same parameters.</summary>
    /// <exception cref="ArgumentException">The state's moments do not match the parameters' count and sizes.</exception>
    public void LoadState(AdamState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.StepCount < 0 || state.FirstMoments.Count != _m.Length || state.SecondMoments.Count != _v.Length)
            throw new ArgumentException("the optimiser state is for other parameters", nameof(state));
        for (int k = 0; k < _m.Length; k++)
        {
            if (state.FirstMoments[k].Length != _m[k].Length || state.SecondMoments[k].Length != _v[k].Length)
                throw new ArgumentException($"the optimiser state of parameter {k} has another size", nameof(state));
            state.FirstMoments[k].CopyTo(_m[k], 0);
            state.SecondMoments[k].CopyTo(_v[k], 0);
        }
        StepCount = state.StepCount;
    }

    /// <summary>Updates every parameter from its gradient.</summary>
    public void Step()
    {
        StepCount++;
        double bc1 = 1.0 - Math.Pow(_beta1, StepCount);
        double bc2 = 1.0 - Math.Pow(_beta2, StepCount);
        float stepSize = (float)(LearningRate / bc1);
        float bc2Sqrt = (float)Math.Sqrt(bc2);
        float oneMinusB1 = 1f - _beta1, oneMinusB2 = 1f - _beta2;
        for (int k = 0; k < _params.Length; k++)
        {
            float[]? grad = _params[k].Grad;
            if (grad is null) continue;
            float[] p = _params[k].Data, m = _m[k], v = _v[k];
            Par.Elements(p.Length, new Update(p, grad, m, v, _weightDecay, oneMinusB1, _beta2, oneMinusB2, bc2Sqrt, _eps, stepSize));
        }
    }

    // The update of elements [s, end) of one parameter; a struct so a step allocates no closure per parameter.
    private readonly struct Update(float[] p, float[] grad, float[] m, float[] v, float wd, float oneMinusB1, float beta2,
        float oneMinusB2, float bc2Sqrt, float eps, float stepSize) : IRangeBody
    {
        public void Run(int s, int end)
        {
            for (int i = s; i < end; i++)
            {
                float g = wd != 0f ? grad[i] + wd * p[i] : grad[i];
                m[i] += oneMinusB1 * (g - m[i]); // torch: exp_avg.lerp_(grad, 1 - beta1)
                v[i] = beta2 * v[i] + oneMinusB2 * g * g;
                float denom = MathF.Sqrt(v[i]) / bc2Sqrt + eps;
                p[i] -= stepSize * (m[i] / denom);
            }
        }
    }

    /// <summary>Sets every parameter's gradient to zero.</summary>
    public void ZeroGrad()
    {
        foreach (Tensor p in _params) p.ZeroGrad();
    }
}

/// <summary>What <see cref="Adam"/> carries from step to step: the step count and, per parameter, the first
/// (<see cref="FirstMoments"/>) and second (<see cref="SecondMoments"/>) moment estimates.</summary>
public sealed record AdamState(int StepCount, IReadOnlyList<float[]> FirstMoments, IReadOnlyList<float[]> SecondMoments);
