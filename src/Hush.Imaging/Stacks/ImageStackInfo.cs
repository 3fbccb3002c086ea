namespace Hush.Imaging;

/// <summary>
/// What <see cref="ImageFile.Identify"/> learns from a file's header without decoding its samples: the axes, shape
/// and sample type the file would be read as by <see cref="ImageFile.ReadStack"/>, and its metadata.
/// </summary>
public sealed record ImageStackInfo(string Axes, IReadOnlyList<int> Shape, SampleType SampleType, StackMetadata Metadata)
{
    /// <summary>Size of the X axis.</summary>
    public int Width => Shape[Axes.IndexOf('X')];

    /// <summary>Size of the Y axis.</summary>
    public int Height => Shape[Axes.IndexOf('Y')];

    /// <summary>Samples in the whole file.</summary>
    public long SampleCount => Shape.Aggregate(1L, (a, b) => a * b);
}
