using Hush.Denoising.Training;

namespace Hush.Denoising.Reports;

/// <summary>Keeps every progress report a run emits, in order, for a <see cref="DenoiseReport"/>'s loss curve and
/// timings. Pass it as the run's progress (or beside another, reporting to both). Safe to report to from any thread.</summary>
public sealed class ProgressRecorder : IProgress<TrainingProgress>
{
    private readonly List<TrainingProgress> _reports = [];

    /// <summary>Records <paramref name="value"/>.</summary>
    public void Report(TrainingProgress value)
    {
        lock (_reports) _reports.Add(value);
    }

    /// <summary>A copy of the reports recorded so far, in the order they came.</summary>
    public IReadOnlyList<TrainingProgress> Reports
    {
        get
        {
            lock (_reports) return [.. _reports];
        }
    }
}
