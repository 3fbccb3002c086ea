namespace Hush.Imaging;

/// <summary>
/// Planar float32 image with samples in [0,1]. Only colour channels live in <see cref="Data"/>;
/// alpha is kept apart in <see cref="Alpha"/> so that denoisers never touch it.
/// </summary>
public sealed class Image
{
    /// <summary>Creates an image; <paramref name="data"/> and <paramref name="alpha"/> are used as-is (not copied).</summary>
    public Image(int width, int height, int channels, float[]? data = null, int bitDepth = 8, float[]? alpha = null)
    {
        if (width <= 0) throw new ArgumentOutOfRangeException(nameof(width), width, "Width must be positive.");
        if (height <= 0) throw new ArgumentOutOfRangeException(nameof(height), height, "Height must be positive.");
        if (channels is < 1 or > 4) throw new ArgumentOutOfRangeException(nameof(channels), channels, "Channels must be 1..4.");
        if (bitDepth is not (1 or 2 or 4 or 8 or 16))
            throw new ArgumentOutOfRangeException(nameof(bitDepth), bitDepth, "Bit depth must be 1, 2, 4, 8 or 16.");

        long planeLength = (long)width * height;
        long dataLength = planeLength * channels;
        if (dataLength > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(width), $"Image {width}x{height}x{channels} is too large for one array.");

        if (data != null && data.Length != dataLength)
            throw new ArgumentException($"Data has {data.Length} samples, expected {dataLength} ({channels}x{height}x{width}).", nameof(data));
        if (alpha != null && alpha.Length != planeLength)
            throw new ArgumentException($"Alpha has {alpha.Length} samples, expected {planeLength} ({height}x{width}).", nameof(alpha));

        Width = width;
        Height = height;
        Channels = channels;
        BitDepth = bitDepth;
        Data = data ?? new float[dataLength];
        Alpha = alpha;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Colour channels: 1 (grey) or 3 (RGB). Palette images decode to 3.</summary>
    public int Channels { get; }

    /// <summary>Bits per sample of the source file (1, 2, 4, 8, 16); 8 for new images.</summary>
    public int BitDepth { get; }

    /// <summary>
    /// Largest sample value the source file declared (a PNM maxval such as 1023 or 4095 for 10/12-bit camera data);
    /// 2^BitDepth - 1 unless a reader set it. <see cref="Data"/> is still scaled to [0,1] by it; PNM writers keep it.
    /// </summary>
    public int MaxValue
    {
        get => maxValue ?? (1 << BitDepth) - 1;
        init
        {
            if (value is < 1 or > 65535)
                throw new ArgumentOutOfRangeException(nameof(MaxValue), value, "MaxValue must be 1..65535.");
            maxValue = value;
        }
    }

    private readonly int? maxValue;

    /// <summary>Planar [c][y][x], length Channels*Height*Width, values in [0,1].</summary>
    public float[] Data { get; }

    /// <summary>Height*Width values in [0,1], or null when the image is opaque.</summary>
    public float[]? Alpha { get; }

    /// <summary>Whether the image carries an alpha channel.</summary>
    public bool HasAlpha => Alpha != null;

    /// <summary>The samples of colour channel <paramref name="c"/>, row-major.</summary>
    public Span<float> Plane(int c)
    {
        if ((uint)c >= (uint)Channels)
            throw new ArgumentOutOfRangeException(nameof(c), c, $"Channel must be in 0..{Channels - 1}.");
        int planeLength = Width * Height;
        return Data.AsSpan(c * planeLength, planeLength);
    }

    /// <summary>Same size, bit depth and alpha, with new colour data (length checked).</summary>
    public Image WithData(float[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new Image(Width, Height, Channels, data, BitDepth, Alpha) { MaxValue = MaxValue };
    }

    /// <summary>Copies the rectangle (x, y, width, height) of colour and alpha into a new image.</summary>
    public Image Crop(int x, int y, int width, int height)
    {
        if (x < 0 || y < 0 || width <= 0 || height <= 0 || (long)x + width > Width || (long)y + height > Height)
            throw new ArgumentOutOfRangeException(nameof(x),
                $"Crop ({x},{y},{width}x{height}) does not fit inside the {Width}x{Height} image.");

        var data = new float[(long)Channels * width * height];
        for (int c = 0; c < Channels; c++)
            CopyRect(Plane(c), data.AsSpan(c * width * height, width * height), x, y, width, height);

        float[]? alpha = null;
        if (Alpha != null)
        {
            alpha = new float[width * height];
            CopyRect(Alpha, alpha, x, y, width, height);
        }

        return new Image(width, height, Channels, data, BitDepth, alpha) { MaxValue = MaxValue };
    }

    /// <summary>A deep copy.</summary>
    public Image Clone() =>
        new(Width, Height, Channels, (float[])Data.Clone(), BitDepth, (float[]?)Alpha?.Clone()) { MaxValue = MaxValue };

    private void CopyRect(ReadOnlySpan<float> source, Span<float> destination, int x, int y, int width, int height)
    {
        for (int row = 0; row < height; row++)
            source.Slice((y + row) * Width + x, width).CopyTo(destination.Slice(row * width, width));
    }
}
