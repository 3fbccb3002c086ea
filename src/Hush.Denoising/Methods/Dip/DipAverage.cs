using Hush.Denoising.Models;

namespace Hush.Denoising.Methods.Dip;

/// <summary>The notebook's out_avg: the first output as it is, then avg ← w·avg + (1 − w)·output after every step
/// (rolled-back steps included, as in the notebook). It is the method's result.</summary>
internal sealed class DipAverage(int length, float weight)
{
    private readonly float[] _average = new float[length];
    private bool _started;

    /// <summary>Folds in one output (the image region, planar [c][y][x]).</summary>
    public void Add(ReadOnlySpan<float> output)
    {
        if (output.Length != _average.Length) throw new ArgumentException($"expected {_average.Length} values, got {output.Length}");
        if (!_started)
        {
            output.CopyTo(_average);
            _started = true;
            return;
        }

        float keep = weight, take = 1f - weight;
        for (int i = 0; i < _average.Length; i++) _average[i] = _average[i] * keep + output[i] * take;
    }

    /// <summary>Puts the average in a resumable checkpoint.</summary>
    public void Save(MethodState state)
    {
        state.Put("dip.average", _average);
        state.Put("dip.average-started", _started);
    }

    /// <summary>Carries on from a stopped run's average.</summary>
    public void Restore(MethodState state)
    {
        state.CopyTo("dip.average", _average);
        _started = state.Flag("dip.average-started");
    }

    /// <summary>A copy of the average clamped to [0, 1] (the sigmoid keeps it inside; the clamp guards rounding).</summary>
    public float[] Snapshot()
    {
        var result = new float[_average.Length];
        for (int i = 0; i < result.Length; i++) result[i] = Math.Clamp(_average[i], 0f, 1f);
        return result;
    }
}
