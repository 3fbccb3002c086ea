using Hush.Denoising.Training;
using Hush.Engine;
using Hush.Imaging;

namespace Hush.Denoising.Methods.ZsN2N;

/// <summary>Zero-Shot Noise2Noise (Mansour &amp; Heckel, CVPR 2023), as specified in methods.md §1:
/// train the 2-layer noise predictor on the pair-downsampled image, then output clamp(y − g(y), 0, 1)
/// from one full-resolution forward pass. No ensembling, no rescaling.</summary>
internal sealed class ZsN2NMethod : IDenoisingMethod
{
    public string Name => "zs-n2n";

    public float[] Denoise(Image noisy, TrainingContext context, out float finalLoss)
    {
        if (noisy.Width < 2 || noisy.Height < 2)
            throw new ArgumentException($"ZS-N2N needs at least 2x2 pixels, got {noisy.Width}x{noisy.Height}");
        var y = ImageTensors.ToTensor(noisy);
        var net = new ZsN2NNetwork(noisy.Channels, new Rng(context.Seed));
        var down = new PairDownsampler(noisy.Channels);

        finalLoss = TrainingLoop.Run(net.Parameters(), () => ZsN2NLoss.Compute(net, down, y),
            context.Options.Iterations, context);

        using (Autograd.NoGrad())
        using (context.Arena.Activate())
        {
            float[] result = (float[])Ops.Clamp(net.Denoise(y), 0f, 1f).Data.Clone(); // arena buffers are reused later
            context.Arena.Reset();
            return result;
        }
    }
}
