using Hush.Denoising.Models;
using Hush.Denoising.Training;
using Hush.Engine;
using Hush.Engine.Optim;

namespace Hush.Denoising.Methods.Noise2Fast;

/// <summary>One channel's Noise2Fast run, one step at a time (the official code runs each channel of a colour image or
/// stack as its own grey image: own normalisation, network, optimiser and stopping). Min-max normalised to [0, 1];
/// each step trains on one random chequerboard pair, then predicts the full channel and scores it by
/// −MSE(noisy, prediction); the run ends once more than <see cref="Noise2FastOptions.Patience"/> steps in a row did
/// not improve the best score. The result is the mean of the buffer of predictions, which, as in the official code,
/// lags one step: each step stores the prediction of the step before (before the first: the network-free 0) and the
/// last step's own prediction is never in it.</summary>
internal sealed class Noise2FastChannel
{
    /// <summary>The official code's fallback learning rate, for a first result that came out nearly constant.</summary>
    public const float FallbackLearningRate = 5e-6f;

    /// <summary>At most this many interior pixels above the mean make a result "nearly constant" (official: 25).</summary>
    private const int ConstantPixels = 25;

    private readonly float[] _plane; // normalised to [0, 1]
    private readonly int _height, _width;
    private readonly float _min, _range, _halfLevel;
    private readonly (HalfImage Input, HalfImage Target)[] _pairs;
    private readonly Noise2FastOptions _options;
    private readonly Rng _rng;
    private readonly float[][] _buffer;
    private Noise2FastNetwork _net = null!;
    private Adam _adam = null!;
    private float[] _previous = null!;
    private int _pushed, _sinceBest;
    private double _best;
    private bool _fallbackUsed;

    /// <param name="plane">The noisy channel, row-major.</param>
    /// <param name="bitDepth">The image's bit depth: half of its grey level is the official check's rounding step.</param>
    public Noise2FastChannel(ReadOnlySpan<float> plane, int height, int width, int bitDepth, Noise2FastOptions options,
        float learningRate, Rng rng)
    {
        (_height, _width, _options, _rng) = (height, width, options, rng);
        _min = float.PositiveInfinity;
        float max = float.NegativeInfinity;
        foreach (float v in plane) (_min, max) = (MathF.Min(_min, v), MathF.Max(max, v));
        _range = max - _min;
        _halfLevel = 0.5f / ((1L << bitDepth) - 1);
        _plane = new float[plane.Length];
        _buffer = new float[options.Buffer][];
        if (_range == 0)
        {
            // A constant channel has nothing to denoise (the official min-max would divide by zero).
            Array.Fill(_plane, 0f);
            Done = true;
            _pairs = [];
            return;
        }
        for (int i = 0; i < plane.Length; i++) _plane[i] = (plane[i] - _min) / _range;
        _pairs = Noise2FastSplit.Pairs(_plane, height, width);
        Start(learningRate);
    }

    /// <summary>True once the stopping rule has ended the run (and the fallback, if due, has run too).</summary>
    public bool Done { get; private set; }

    /// <summary>The binary cross-entropy of this channel's latest step.</summary>
    public float LastLoss { get; private set; } = float.NaN;

    /// <summary>Steps trained, the fallback's included.</summary>
    public int Steps { get; private set; }

    /// <summary>A fresh network, optimiser and buffer (the official code's loop body, run again by the fallback).</summary>
    private void Start(float learningRate)
    {
        _net = new Noise2FastNetwork(_rng);
        _adam = new Adam(_net.Parameters(), learningRate);
        _previous = new float[_plane.Length]; // the official "cleaned = 0" before the first step
        Array.Clear(_buffer);
        _pushed = 0;
        _sinceBest = 0;
        _best = double.NegativeInfinity;
    }

    /// <summary>Registers the channel's random stream and its whole state (network, optimiser, buffer, stopping rule)
    /// with a resumable run's checkpoint, under names starting with <paramref name="prefix"/>. A constant channel has
    /// nothing to carry: it never trains.</summary>
    public void Carry(TrainingResume? resume, string prefix)
    {
        if (resume is null) return;
        resume.Track(_rng);
        if (_range != 0) resume.Carry(state => Save(state, prefix), state => Restore(state, prefix));
    }

    private void Save(MethodState state, string prefix)
    {
        (string Name, double Value)[] numbers =
        [
            ("fallback", _fallbackUsed ? 1 : 0), ("done", Done ? 1 : 0), ("steps", Steps), ("loss", LastLoss), ("pushed", _pushed),
            ("since-best", _sinceBest), ("best", _best),
        ];
        foreach (var (name, value) in numbers) state.Put(prefix + name, value);
        state.Put(prefix + "previous", _previous);
        for (int k = 0; k < Math.Min(_pushed, _buffer.Length); k++) state.Put($"{prefix}buffer.{k}", _buffer[k]);
        foreach (var (p, k) in _net.Parameters().Select((p, k) => (p, k))) state.Put($"{prefix}param.{k}", p.Data);
        var adam = _adam.SaveState();
        state.Put(prefix + "adam-steps", adam.StepCount);
        for (int k = 0; k < adam.FirstMoments.Count; k++)
        {
            state.Put($"{prefix}adam.m.{k}", adam.FirstMoments[k]);
            state.Put($"{prefix}adam.v.{k}", adam.SecondMoments[k]);
        }
    }

    private void Restore(MethodState state, string prefix)
    {
        _fallbackUsed = state.Flag(prefix + "fallback");
        if (_fallbackUsed) Start(FallbackLearningRate); // the fallback's network and rate; its weights come next
        Done = state.Flag(prefix + "done");
        Steps = state.Count(prefix + "steps");
        LastLoss = (float)state.Number(prefix + "loss");
        _pushed = state.Count(prefix + "pushed");
        _sinceBest = state.Count(prefix + "since-best");
        _best = state.Number(prefix + "best");
        state.CopyTo(prefix + "previous", _previous);
        for (int k = 0; k < Math.Min(_pushed, _buffer.Length); k++) _buffer[k] = state.Array($"{prefix}buffer.{k}", _plane.Length);
        var parameters = _net.Parameters().ToArray();
        for (int k = 0; k < parameters.Length; k++) state.CopyTo($"{prefix}param.{k}", parameters[k].Data);
        _adam.LoadState(new AdamState(state.Count(prefix + "adam-steps"),
            parameters.Select((p, k) => state.Array($"{prefix}adam.m.{k}", p.Length)).ToArray(),
            parameters.Select((p, k) => state.Array($"{prefix}adam.v.{k}", p.Length)).ToArray()));
    }

    /// <summary>One step: train on a random pair, predict the channel, score it, and end the run when the rule says.</summary>
    public void Step(TensorArena arena)
    {
        if (Done) throw new InvalidOperationException("the channel's run has ended");
        var (input, target) = _pairs[(int)(_rng.NextUInt64() % (ulong)_pairs.Length)];
        _adam.ZeroGrad();
        using (arena.Activate())
        {
            var logits = _net.Logits(Tensor.StepConstant(input.Data, [1, 1, input.Height, input.Width]));
            Noise2FastLoss.Surrogate(logits, target.Data, out float bce).Backward();
            LastLoss = bce;
        }
        arena.Reset();
        _adam.Step();
        Steps++;

        int slot = _pushed % _buffer.Length;
        var prediction = _buffer[slot] ?? new float[_plane.Length]; // the entry that drops out holds the new prediction
        _buffer[slot] = _previous;
        _pushed++;
        Predict(prediction, arena);
        _previous = prediction;

        double score = -MeanSquaredDifference(_plane, prediction);
        if (score > _best) (_best, _sinceBest) = (score, 0);
        else if (++_sinceBest > _options.Patience) Finish();
    }

    private void Finish()
    {
        if (_options.Fallback && !_fallbackUsed && NearlyConstant(Result()))
        {
            _fallbackUsed = true;
            Start(FallbackLearningRate);
        }
        else Done = true;
    }

    private void Predict(float[] destination, TensorArena arena)
    {
        using (Autograd.NoGradOnThisThread())
        using (arena.Activate())
            _net.Forward(Tensor.StepConstant(_plane, [1, 1, _height, _width])).Data.AsSpan(0, destination.Length).CopyTo(destination);
        arena.Reset();
    }

    /// <summary>The mean of the buffer's entries so far, de-normalised and clamped to [0, 1]. The official buffer starts
    /// as 105 zeros that a run ended by its rule has almost always pushed out; a run cut short by the iteration cap has
    /// not, so the mean is over the entries pushed. A constant channel comes back as it was.</summary>
    public float[] Result()
    {
        var result = new float[_plane.Length];
        int count = Math.Min(_pushed, _buffer.Length);
        if (count == 0)
        {
            for (int i = 0; i < result.Length; i++) result[i] = Math.Clamp(_plane[i] * _range + _min, 0f, 1f);
            return result;
        }
        var sum = new double[result.Length];
        for (int k = 0; k < count; k++)
        {
            var entry = _buffer[k];
            for (int i = 0; i < sum.Length; i++) sum[i] += entry[i];
        }
        for (int i = 0; i < result.Length; i++) result[i] = Math.Clamp((float)(sum[i] / count) * _range + _min, 0f, 1f);
        return result;
    }

    /// <summary>The official check on the result: at most 25 pixels of the interior (one-pixel border left out) round to
    /// more than the interior's mean, in grey levels of the image's bit depth.</summary>
    private bool NearlyConstant(float[] result)
    {
        double mean = 0;
        int n = 0;
        for (int y = 1; y < _height - 1; y++)
            for (int x = 1; x < _width - 1; x++, n++) mean += result[y * _width + x];
        mean /= Math.Max(n, 1);
        int above = 0;
        for (int y = 1; y < _height - 1; y++)
            for (int x = 1; x < _width - 1; x++)
                if (result[y * _width + x] - mean > _halfLevel) above++;
        return above <= ConstantPixels;
    }

    private static double MeanSquaredDifference(float[] a, float[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += (double)(a[i] - b[i]) * (a[i] - b[i]);
        return sum / a.Length;
    }
}
