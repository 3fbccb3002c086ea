namespace Hush.Imaging;

/// <summary>Compression the TIFF encoder can write.</summary>
public enum TiffCompression
{
    /// <summary>Samples stored as they are.</summary>
    None,

    /// <summary>zlib (Adobe Deflate, code 8), readable by libtiff, tifffile and ImageJ.</summary>
    Deflate,
}

/// <summary>Choices for <see cref="TiffEncoder"/>; the defaults write plain uncompressed strips.</summary>
public sealed record TiffEncoderOptions
{
    /// <summary>The options used when none are given.</summary>
    public static TiffEncoderOptions Default { get; } = new();

    /// <summary>How the samples are compressed.</summary>
    public TiffCompression Compression { get; init; } = TiffCompression.None;

    /// <summary>
    /// Apply a predictor before compressing (2, horizontal differencing, for integers; 3, floating point, for
    /// floats). It usually shrinks Deflate output of smooth images; ignored without compression and for 1-bit data.
    /// </summary>
    public bool UsePredictor { get; init; }

    /// <summary>Write BigTIFF (64-bit offsets) even when the file would fit classic TIFF's 4 GB.</summary>
    public bool ForceBigTiff { get; init; }
}
