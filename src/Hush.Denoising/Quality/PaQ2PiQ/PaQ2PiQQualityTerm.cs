using Hush.Engine;

namespace Hush.Denoising.Quality.PaQ2PiQ;

/// <summary>
/// Self2Self+'s IQA term (Ko &amp; Lee; docs/methods/self2self-plus.md, "Loss"): λ·mean((100 − PaQ2PiQ(out))²), λ = 2e-8
/// by default, on the network output (not clamped; the official code passes it to pyiqa's paq2piq as is). Grey
/// outputs are scored as RGB with the grey value in all three channels; other channel counts are refused.
/// </summary>
public sealed class PaQ2PiQQualityTerm : INoReferenceQualityTerm
{
    /// <summary>The paper's λ_IQA.</summary>
    public const float DefaultWeight = 2e-8f;

    /// <summary>The term λ·(100 − score)² with <paramref name="model"/> as the scorer and <paramref name="weight"/> as λ.</summary>
    public PaQ2PiQQualityTerm(PaQ2PiQModel model, float weight = DefaultWeight)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!(weight >= 0f) || float.IsInfinity(weight))
            throw new ArgumentOutOfRangeException(nameof(weight), weight, "the IQA weight must be a finite number >= 0");
        Model = model;
        Weight = weight;
    }

    /// <summary>The PaQ-2-PiQ network that scores the output.</summary>
    public PaQ2PiQModel Model { get; }

    /// <summary>λ.</summary>
    public float Weight { get; }

    /// <summary>Loads the model from a Hush tensor file (<see cref="PaQ2PiQModel.Load"/>).</summary>
    public static PaQ2PiQQualityTerm Load(string path, float weight = DefaultWeight) => new(PaQ2PiQModel.Load(path), weight);

    /// <summary>The PaQ-2-PiQ score of output [1, C, H, W], C = 3 or 1 (grey, replicated) → [1, 1, 1, 1].</summary>
    public Tensor Score(Tensor output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (output.Rank != 4 || output.Shape[0] != 1 || (output.Shape[1] != 3 && output.Shape[1] != 1))
            throw new ArgumentException($"the PaQ-2-PiQ quality term scores RGB or grey images, got {(output.Rank == 4 ? $"{output.Shape[1]} channels" : $"shape [{string.Join(", ", output.Shape)}]")}");
        return Model.Score(output.Shape[1] == 3 ? output : Ops.ConcatChannels(output, output, output));
    }

    /// <inheritdoc/>
    public Tensor Loss(Tensor output)
    {
        var gap = Ops.AddScalar(Ops.Scale(Score(output), -1f), 100f); // 100 − s
        return Ops.Scale(Ops.Mean(Ops.Mul(gap, gap)), Weight);
    }
}
