using Hush.Denoising.Models;
using Hush.Imaging;

namespace Hush.Denoising.Tests.Contract;

/// <summary>Runs stopped at a checkpoint and resumed with the same options, for the resume tests.</summary>
internal static class ResumeRuns
{
    /// <summary>Runs <paramref name="options"/> (with a checkpoint file) on <paramref name="image"/> and cancels it right
    /// after the checkpoint of step <paramref name="step"/>; returns the training state that checkpoint holds.</summary>
    public static TrainingState StopAt(DenoiseOptions options, Image image, int step)
    {
        using var cancel = new CancellationTokenSource();
        var stopped = options with { OnCheckpoint = c => { if (c.Iteration == step) cancel.Cancel(); } };
        Assert.ThrowsAny<OperationCanceledException>(() => new Denoiser(stopped).Denoise(image, cancel: cancel.Token));
        var state = StateIn(options.CheckpointFile!);
        Assert.Equal(step, state.Step);
        return state;
    }

    /// <summary>The training state of the checkpoint at <paramref name="path"/>.</summary>
    public static TrainingState StateIn(string path)
    {
        using var stream = File.OpenRead(path);
        return ModelCodec.Read(stream, path).Training!;
    }

    /// <summary>Stops a run at each of <paramref name="stops"/> in turn (each resumed run stops at the next), resumes it
    /// to the end and asserts the output bits and final loss of <paramref name="whole"/>, a run never stopped, and that
    /// the finished run removed the checkpoint. Returns the carried state of every stop.</summary>
    public static MethodState[] AssertResumes(DenoiseOptions options, Image image, DenoiseResult whole, params int[] stops)
    {
        var states = stops.Select(step => StopAt(options, image, step).State).ToArray();
        var resumed = new Denoiser(options).Denoise(image);
        Assert.Equal(whole.Output.Data, resumed.Output.Data);
        Assert.Equal(whole.FinalLoss, resumed.FinalLoss);
        Assert.False(File.Exists(options.CheckpointFile));
        return states;
    }

    /// <summary><see cref="AssertResumes(DenoiseOptions, Image, DenoiseResult, int[])"/> against the same options run
    /// without checkpoints.</summary>
    public static MethodState[] AssertResumes(DenoiseOptions options, Image image, params int[] stops) =>
        AssertResumes(options, image, new Denoiser(options with { CheckpointEvery = 0, CheckpointFile = null }).Denoise(image), stops);
}
