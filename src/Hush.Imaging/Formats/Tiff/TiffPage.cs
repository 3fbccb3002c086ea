namespace Hush.Imaging.Formats.Tiff;

/// <summary>
/// What one IFD says about its image: size, sample layout, compression and where the strips or tiles are.
/// Built by <see cref="TiffPageParser"/>, which has already checked every value for consistency.
/// </summary>
internal sealed record TiffPage
{
    public required int Index { get; init; }

    public required int Width { get; init; }

    public required int Height { get; init; }

    public required int SamplesPerPixel { get; init; }

    public required int BitsPerSample { get; init; }

    public required SampleType SampleType { get; init; }

    public required Photometric Photometric { get; init; }

    public required int Compression { get; init; }

    /// <summary>1 none, 2 horizontal differencing, 3 floating point.</summary>
    public required int Predictor { get; init; }

    /// <summary>True for PlanarConfiguration 2: each sample in its own set of strips or tiles.</summary>
    public required bool Separate { get; init; }

    /// <summary>Strip width is the image width; tile width otherwise.</summary>
    public required int BlockWidth { get; init; }

    /// <summary>RowsPerStrip (clamped to the height) or the tile length.</summary>
    public required int BlockHeight { get; init; }

    public required bool Tiled { get; init; }

    public required long[] BlockOffsets { get; init; }

    public required long[] BlockByteCounts { get; init; }

    /// <summary>NewSubfileType bit 0 or SubfileType 2: a thumbnail or pyramid level, not a slice.</summary>
    public required bool ReducedResolution { get; init; }

    public string? Description { get; init; }

    public int BlocksAcross => (int)(((long)Width + BlockWidth - 1) / BlockWidth);

    public int BlocksDown => (int)(((long)Height + BlockHeight - 1) / BlockHeight);

    public int Planes => Separate ? SamplesPerPixel : 1;

    public long BlockCount => (long)BlocksAcross * BlocksDown * Planes;

    /// <summary>Samples in one pixel of one block row: all of them when contiguous, one when separate.</summary>
    public int SamplesPerBlockPixel => Separate ? 1 : SamplesPerPixel;

    /// <summary>Bytes in one row of <paramref name="pixels"/> pixels of one plane; 1-bit rows are padded to a byte.</summary>
    public long RowBytes(int pixels) => ((long)pixels * SamplesPerBlockPixel * BitsPerSample + 7) / 8;

    /// <summary>Samples in the whole page, all planes.</summary>
    public long SampleCount => (long)Width * Height * SamplesPerPixel;

    /// <summary>Bytes the page occupies once decompressed (the unit the decode limit counts).</summary>
    public long DecodedBytes => RowBytes(Width) * Height * Planes;

    /// <summary>Shape of one page as tifffile reports it: (Y, X), (Y, X, S) contiguous, (S, Y, X) separate.</summary>
    public (string Axes, int[] Shape) PageShape => SamplesPerPixel == 1
        ? ("YX", [Height, Width])
        : Separate ? ("SYX", [SamplesPerPixel, Height, Width]) : ("YXS", [Height, Width, SamplesPerPixel]);

    /// <summary>Pages that can be stacked into one array have equal geometry and sample type.</summary>
    public bool SameLayoutAs(TiffPage other) =>
        Width == other.Width && Height == other.Height && SamplesPerPixel == other.SamplesPerPixel
        && SampleType == other.SampleType && Separate == other.Separate;
}
