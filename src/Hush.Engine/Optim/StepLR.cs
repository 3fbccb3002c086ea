namespace Hush.Engine.Optim;

/// <summary>torch.optim.lr_scheduler.StepLR: call <see cref="Step"/> once per iteration (after the optimizer step);
/// after e calls the learning rate is base * gamma^floor(e / stepSize).</summary>
public sealed class StepLR
{
    private readonly Adam _optimizer;
    private readonly float _baseLr;
    private readonly int _stepSize;
    private readonly float _gamma;
    private int _epoch;

    public StepLR(Adam optimizer, int stepSize, float gamma)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentOutOfRangeException.ThrowIfLessThan(stepSize, 1);
        _optimizer = optimizer;
        _baseLr = optimizer.LearningRate;
        _stepSize = stepSize;
        _gamma = gamma;
    }

    public void Step()
    {
        _epoch++;
        _optimizer.LearningRate = (float)(_baseLr * Math.Pow(_gamma, _epoch / _stepSize));
    }
}
