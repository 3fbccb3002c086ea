using Hush.Imaging;

namespace Hush.Denoising;

/// <summary>
/// An interim result of a long run (<see cref="DenoiseOptions.CheckpointEvery"/>), handed to
/// <see cref="DenoiseOptions.OnCheckpoint"/> on the training thread after training step <see cref="Iteration"/> of
/// <see cref="Iterations"/>. It is a cheap prediction from the model as it is then: the Self2Self methods average
/// <see cref="DenoiseOptions.CheckpointPasses"/> stochastic passes (drawn from a stream of their own, so checkpoints
/// never change the final result); zs-n2n and lota-n2n run their usual single pass.
/// </summary>
/// <param name="Iteration">Training steps done so far for this plane's model.</param>
/// <param name="Iterations">Training steps the model will take in all.</param>
/// <param name="PlaneIndex">The plane being trained (0 for a single image).</param>
/// <param name="Plane">That plane's interim result, like <see cref="Denoiser.Denoise"/>'s output.</param>
/// <param name="Stack">For <see cref="Denoiser.DenoiseStack"/>: the output stack as it stands, finished planes
/// denoised, this plane's interim result, later planes still as they came in; null for a single image. Valid
/// only during the call (it shares the run's output buffer): write or copy it there.</param>
public sealed record DenoiseCheckpoint(int Iteration, int Iterations, int PlaneIndex, Image Plane, ImageStack? Stack);
