using Hush.Engine;

namespace Hush.Denoising.Training;

/// <summary>
/// The stopping rule without ground truth (<see cref="DenoiseOptions.EarlyStop"/>): every <see cref="Every"/> steps the
/// method's held-out loss is measured; the weights with the lowest loss so far are kept, and training stops once
/// <see cref="Patience"/> measurements in a row have not improved on the best by at least <see cref="MinGain"/>
/// (relative). The run ends with the kept weights. A method takes part by attaching its parameters and held-out loss
/// (<see cref="Attach"/>); for the others the rule is inert.
/// </summary>
internal sealed class EarlyStopping
{
    /// <summary>Steps between measurements.</summary>
    public const int Every = 50;

    /// <summary>Measurements without a real gain before training stops (500 steps).</summary>
    public const int Patience = 10;

    /// <summary>The relative drop of the held-out loss that counts as a gain.</summary>
    public const double MinGain = 1e-3;

    private Tensor[] _parameters = [];
    private Func<float>? _heldOutLoss;
    private Action? _keepState, _restoreState;
    private float[][]? _kept;
    private float _best = float.PositiveInfinity, _reference = float.PositiveInfinity;
    private int _sinceGain;

    /// <summary>The method's trained tensors and its held-out loss (measured without gradients). A method whose
    /// prediction depends on more than the weights (Blind2Grad's mask distribution) saves that state with
    /// <paramref name="keepState"/> when weights are kept and puts it back with <paramref name="restoreState"/>.</summary>
    public void Attach(IEnumerable<Tensor> parameters, Func<float> heldOutLoss, Action? keepState = null, Action? restoreState = null)
    {
        _parameters = parameters.ToArray();
        _heldOutLoss = heldOutLoss;
        (_keepState, _restoreState) = (keepState, restoreState);
    }

    /// <summary>Every measurement: (step, held-out loss).</summary>
    public List<(int Step, float Loss)> Curve { get; } = [];

    /// <summary>The step whose weights were kept (0 before the first measurement).</summary>
    public int KeptStep { get; private set; }

    /// <summary>The steps taken when the rule stopped training; null when it did not.</summary>
    public int? StoppedAt { get; private set; }

    /// <summary>After step <paramref name="step"/>: true to stop training.</summary>
    public bool AfterStep(int step)
    {
        if (_heldOutLoss is null || step % Every != 0) return false;
        float loss = _heldOutLoss();
        Curve.Add((step, loss));
        if (loss < _best)
        {
            _best = loss;
            KeptStep = step;
            _kept = [.. _parameters.Select(p => (float[])p.Data.Clone())];
            _keepState?.Invoke();
        }
        if (loss < _reference * (1 - MinGain))
        {
            _reference = loss;
            _sinceGain = 0;
            return false;
        }
        if (++_sinceGain < Patience) return false;
        StoppedAt = step;
        return true;
    }

    /// <summary>Puts the kept weights back (at the end of training; nothing to do before a measurement).</summary>
    public void RestoreBest()
    {
        if (_kept is null) return;
        for (int i = 0; i < _parameters.Length; i++) _kept[i].CopyTo(_parameters[i].Data, 0);
        _restoreState?.Invoke();
    }
}
