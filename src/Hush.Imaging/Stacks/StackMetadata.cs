namespace Hush.Imaging;

/// <summary>Byte order of the samples in the source file.</summary>
public enum SourceByteOrder
{
    /// <summary>No byte order to report (8-bit or text samples, or a stack built in memory).</summary>
    NotApplicable,
    /// <summary>Least significant byte first.</summary>
    LittleEndian,
    /// <summary>Most significant byte first.</summary>
    BigEndian,
}

/// <summary>How single-sample integer data maps to brightness (TIFF PhotometricInterpretation).</summary>
public enum Photometric
{
    /// <summary>0 is black (TIFF 1; also what NPY, PNG and PNM mean).</summary>
    MinIsBlack,

    /// <summary>0 is white (TIFF 0); samples are kept raw and only inverted by <see cref="ImageStack.ToImage"/>.</summary>
    MinIsWhite,

    /// <summary>Red, green, blue samples, optionally followed by extra samples such as alpha (TIFF 2).</summary>
    Rgb,
}

/// <summary>
/// What a reader learnt about the file besides the samples. Nothing here changes the values in the stack;
/// it is kept so that writers and reports can say where the data came from.
/// </summary>
public sealed record StackMetadata
{
    /// <summary>No metadata: a stack built in memory.</summary>
    public static StackMetadata None { get; } = new();

    /// <summary>"TIFF", "BigTIFF", "NPY 1.0", "PNG", ... or null when the stack was built in memory.</summary>
    public string? Format { get; init; }

    /// <summary>Byte order of the samples in the source file.</summary>
    public SourceByteOrder ByteOrder { get; init; }

    /// <summary>Compression as a readable tag, e.g. "LZW (5), predictor 2"; null when not applicable.</summary>
    public string? Compression { get; init; }

    /// <summary>How the source file says its samples are to be shown.</summary>
    public Photometric Photometric { get; init; }

    /// <summary>Where the axes came from: "ImageJ", "OME-XML", "tifffile", "pages", "NPY rule", "caller".</summary>
    public string? AxesSource { get; init; }

    /// <summary>
    /// The source's declared largest sample value when it is not the sample type's full range (a PNM maxval of
    /// 1023 read into a uint16 stack, whose samples are scaled to 0..65535); null otherwise. PNM writers keep it.
    /// </summary>
    public int? MaxValue { get; init; }

    /// <summary>The ImageDescription of the first TIFF page (ImageJ text, OME-XML, tifffile JSON), if any.</summary>
    public string? ImageDescription { get; init; }
}
