using Hush.Denoising.Training;
using Hush.Engine;
using Hush.Imaging;

namespace Hush.Denoising.Methods.Noise2Fast;

/// <summary>
/// Noise2Fast (Lequyer et al., Nat. Mach. Intell. 2022; docs/methods/noise2fast.md), after the official N2F.py and
/// N2F_4D.py: every channel is denoised as its own grey image (<see cref="Noise2FastChannel"/>). The channels run in
/// lock-step, one training step each per reported step, so progress, cancellation and checkpoints count one step
/// sequence; a channel whose stopping rule has fired sits out, and the run ends when all have stopped or after
/// <see cref="DenoiseOptions.Iterations"/> steps, whichever comes first. Each channel draws from its own stream of the
/// seed, so its result does not depend on the others.
/// </summary>
internal sealed class Noise2FastMethod : IDenoisingMethod
{
    public float[] Denoise(Image noisy, TrainingContext context, out float finalLoss)
    {
        if (noisy.Width < 2 || noisy.Height < 2)
            throw new ArgumentException($"Noise2Fast needs an image of at least 2×2 pixels, got {noisy.Width}×{noisy.Height}");
        var o = context.Options.OptionsOf<Noise2FastOptions>();
        var root = new Rng(context.Seed);
        var channels = new Noise2FastChannel[noisy.Channels];
        for (int c = 0; c < channels.Length; c++)
            channels[c] = new Noise2FastChannel(noisy.Plane(c), noisy.Height, noisy.Width, noisy.BitDepth, o,
                context.Options.EffectiveLearningRate, root.Fork((ulong)c));

        // The buffers' means as they stand: reading them changes nothing, so checkpoints leave the output as it is.
        context.Interim = () => Assemble(channels);
        int total = context.Options.Iterations;
        if (context.Budget is { } budget) budget.ReserveSteps = 0; // the output is the buffered predictions' mean
        var resume = context.Resume;
        for (int c = 0; c < channels.Length; c++) channels[c].Carry(resume, $"n2f.{c}.");
        // Each channel's network and optimiser are in its carried state: the checkpoint's own weights are none.
        int start = resume?.Restore([], null, null, 0, total) ?? 0;
        for (int step = start + 1; step <= total && AnyRunning(channels); step++)
        {
            context.Cancel.ThrowIfCancellationRequested();
            if (context.Budget?.AllowsStep() == false) break;
            double loss = 0;
            int running = 0;
            foreach (var ch in channels) // plain loops, no LINQ: a step allocates nothing
            {
                if (ch.Done) continue;
                ch.Step(context.Arena);
                loss += ch.LastLoss;
                running++;
            }
            context.Progress?.Report(new TrainingProgress(step, total, (float)(loss / running), context.Clock.Elapsed));
            if (resume?.Due(step, total) == true) resume.Save(step, [], null, context.Seed);
            if (context.CheckpointDue(step, total)) context.Checkpoint!(step, context.Interim());
        }
        context.Interim = null;

        var trained = channels.Where(ch => ch.Steps > 0).ToArray();
        finalLoss = trained.Length == 0 ? float.NaN : trained.Average(ch => ch.LastLoss);
        return Assemble(channels);
    }

    private static bool AnyRunning(Noise2FastChannel[] channels)
    {
        foreach (var ch in channels)
            if (!ch.Done) return true;
        return false;
    }

    private static float[] Assemble(Noise2FastChannel[] channels) => channels.SelectMany(ch => ch.Result()).ToArray();
}
