namespace Hush.Denoising.Methods.Noise2Self;

/// <summary>How Noise2Self hides the pixels the loss is computed on.</summary>
public enum Noise2SelfMasking
{
    /// <summary>The paper's grid: phase i hides every pixel with (row mod w, col mod w) = (i mod w, ⌊i/w⌋ mod w).</summary>
    Grid,

    /// <summary>Noise2Void's idea: a random share of the pixels each step, each replaced by a random other pixel of its
    /// 5×5 neighbourhood.</summary>
    RandomNeighbour,
}

/// <summary>What a grid-masked pixel is replaced by in the network's input.</summary>
public enum Noise2SelfFill
{
    /// <summary>The official default: the mean of its 8 neighbours, weighted [[½,1,½],[1,0,1],[½,1,½]]/6.</summary>
    Interpolate,

    /// <summary>Zero.</summary>
    Zero,
}

/// <summary>Noise2Self's settings, the official single-image notebook's by default (docs/methods/noise2self.md): a
/// width-4 grid (16 phases, the last held out for validation) with interpolation, an 8-layer 64-wide DnCNN, the model
/// with the best validation loss (checked every 10 steps) kept. The Adam rate (0.01) and the 500 steps are the run's
/// learning rate and iterations.</summary>
public sealed record Noise2SelfOptions : MethodOptions
{
    /// <summary>Grid masking (the paper) or random-neighbour replacement (Noise2Void's).</summary>
    public Noise2SelfMasking Masking { get; init; } = Noise2SelfMasking.Grid;

    /// <summary>The grid's fill: interpolation (the notebook's) or zero.</summary>
    public Noise2SelfFill Fill { get; init; } = Noise2SelfFill.Interpolate;

    /// <summary>The grid's period w ≥ 2: w² phases, the last one held out for validation.</summary>
    public int GridWidth { get; init; } = 4;

    /// <summary>DnCNN's convolution count, ≥ 2 (the notebook's DnCNN(1, num_of_layers = 8)).</summary>
    public int Layers { get; init; } = 8;

    /// <summary>DnCNN's hidden channels, ≥ 1 (64 in the official model).</summary>
    public int Features { get; init; } = 64;

    /// <summary>Steps between validations (the step 0-based i is followed by one when i mod this = 0), ≥ 1.</summary>
    public int ValidateEvery { get; init; } = 10;

    /// <summary>Share of the pixels replaced per step under random-neighbour masking, in (0, 1) (default 1/16, the
    /// grid's share).</summary>
    public float MaskFraction { get; init; } = 1f / 16f;

    /// <summary>True: the output is the J-invariant one, each pixel from the pass that hid it (w² passes); false: one
    /// pass on the noisy image, as the notebook.</summary>
    public bool JInvariant { get; init; }

    /// <inheritdoc/>
    public override void Validate(int iterations)
    {
        Check(GridWidth >= 2, $"grid width must be ≥ 2, got {GridWidth}");
        Check(Layers >= 2, $"layers must be ≥ 2, got {Layers}");
        Check(Features >= 1, $"features must be ≥ 1, got {Features}");
        Check(ValidateEvery >= 1, $"validate-every must be ≥ 1, got {ValidateEvery}");
        Check(MaskFraction > 0f && MaskFraction < 1f, $"mask fraction must be in (0, 1), got {MaskFraction}");
    }
}
