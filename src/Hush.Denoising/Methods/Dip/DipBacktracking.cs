using Hush.Denoising.Models;
using Hush.Engine;

namespace Hush.Denoising.Methods.Dip;

/// <summary>
/// The denoising notebook's guard against a diverging step, as its closure runs it: after each step's backward pass,
/// with the step's PSNR of the output against the noisy image,
/// <list type="bullet">
/// <item>on a counted step that is not a multiple of <see cref="Interval"/>: if the PSNR fell by more than the drop
/// since the last saved step, the weights are overwritten with the saved ones and the step is not counted; otherwise
/// the weights (those that made this output, before the optimiser moves them) and the PSNR are saved;</item>
/// <item>on a multiple of <see cref="Interval"/> (the notebook's plotting steps, the first included) nothing is
/// checked or saved.</item>
/// </list>
/// The optimiser step that follows a rollback still applies that step's gradients, as the notebook's does.
/// </summary>
internal sealed class DipBacktracking(IReadOnlyList<Tensor> parameters, float dropDb)
{
    /// <summary>The notebook's show_every: its check runs only between plotting steps.</summary>
    public const int Interval = 100;

    private readonly float[][] _saved = parameters.Select(p => new float[p.Length]).ToArray();
    private bool _haveSaved;
    private double _lastPsnr;

    /// <summary>Steps counted so far (the notebook's i): a rolled-back step is not counted.</summary>
    public int Counted { get; private set; }

    /// <summary>Rollbacks so far.</summary>
    public int Rollbacks { get; private set; }

    /// <summary>Applies the rule after a step whose output had <paramref name="psnr"/> dB against the noisy image;
    /// true when it rolled the weights back.</summary>
    public bool AfterStep(double psnr)
    {
        if (Counted % Interval != 0)
        {
            if (_haveSaved && psnr - _lastPsnr < -dropDb)
            {
                for (int k = 0; k < _saved.Length; k++) _saved[k].CopyTo(parameters[k].Data, 0);
                Rollbacks++;
                return true;
            }

            for (int k = 0; k < _saved.Length; k++) parameters[k].Data.CopyTo(_saved[k], 0);
            _haveSaved = true;
            _lastPsnr = psnr;
        }

        Counted++;
        return false;
    }

    /// <summary>Puts the rule's state (the saved weights and PSNR, the counts) in a resumable checkpoint.</summary>
    public void Save(MethodState state)
    {
        for (int k = 0; k < _saved.Length; k++) state.Put($"dip.saved.{k}", _saved[k]);
        state.Put("dip.have-saved", _haveSaved);
        state.Put("dip.last-psnr", _lastPsnr);
        state.Put("dip.counted", Counted);
        state.Put("dip.rollbacks", Rollbacks);
    }

    /// <summary>Carries on from a stopped run's state.</summary>
    public void Restore(MethodState state)
    {
        for (int k = 0; k < _saved.Length; k++) state.CopyTo($"dip.saved.{k}", _saved[k]);
        _haveSaved = state.Flag("dip.have-saved");
        _lastPsnr = state.Number("dip.last-psnr");
        Counted = state.Count("dip.counted");
        Rollbacks = state.Count("dip.rollbacks");
    }

    /// <summary>PSNR in dB of an output whose mean squared error against the noisy image is <paramref name="mse"/>
    /// (peak 1, as skimage's compare_psnr takes for float images in [0, 1]).</summary>
    public static double Psnr(double mse) => 10 * Math.Log10(1 / mse);
}
