namespace Hush.Imaging;

/// <summary>
/// Conversion between a stack and the [0,1] <see cref="Image"/> the denoisers use.
/// <list type="bullet">
/// <item>The channel axis is S when present, else C; with 1, 2, 3 or 4 entries it becomes grey, grey + alpha,
/// RGB or RGB + alpha. A longer channel axis, and every other axis besides Y and X, counts as planes.</item>
/// <item>Integers are scaled to [0,1] by their type's range: v / max for unsigned types,
/// (v - min) / (max - min) for signed ones; Bool stays 0/1. Min-is-white integer data is inverted (1 - value).</item>
/// <item>Floats are kept as they are, without clamping: a float32 TIFF holding 0..1 reads as 0..1, one
/// holding 0..4095 reads as 0..4095 (and NaN stays NaN). Normalise such data yourself before denoising.</item>
/// </list>
/// </summary>
public sealed partial class ImageStack
{
    /// <summary>The axis <see cref="ToImage"/> reads as colour channels ('S' or 'C'), or null when there is none.</summary>
    public char? ChannelAxis
    {
        get
        {
            char axis = Axes.Contains('S') ? 'S' : Axes.Contains('C') ? 'C' : '\0';
            return axis != '\0' && SizeOf(axis) <= 4 ? axis : null;
        }
    }

    /// <summary>How many 2-D images (each with all its channels) the stack holds; <see cref="ToImage"/> needs 1.</summary>
    public long PlaneCount
    {
        get
        {
            char? channel = ChannelAxis;
            long planes = 1;
            for (int i = 0; i < Rank; i++)
            {
                if (Axes[i] is not ('Y' or 'X') && Axes[i] != channel)
                    planes *= shape[i];
            }
            return planes;
        }
    }

    /// <summary>The single plane set as an <see cref="Image"/> (rules in the class remarks).</summary>
    /// <exception cref="InvalidOperationException">The stack holds more than one plane.</exception>
    public Image ToImage()
    {
        if (PlaneCount != 1)
            throw new InvalidOperationException($"Stack {this} holds {PlaneCount} planes; an Image holds one.");

        char? channel = ChannelAxis;
        string rest = new([.. Axes.Where(a => a is not ('Y' or 'X') && a != channel)]);
        var planar = Transpose(rest + channel + "YX");
        int samples = channel is null ? 1 : SizeOf(channel.Value);
        int width = Width, height = Height, planeLength = width * height;

        var values = new float[planar.Length];
        bool invert = Metadata.Photometric == Photometric.MinIsWhite && SampleType.IsInteger() && samples == 1;
        for (long i = 0; i < values.LongLength; i++)
        {
            float v = Normalise(planar.ValueAt(i));
            values[i] = invert ? 1f - v : v;
        }

        int colours = samples is 2 or 4 ? samples - 1 : samples;
        float[] data = samples == colours ? values : values[..(colours * planeLength)];
        float[]? alpha = samples == colours ? null : values[(colours * planeLength)..];
        int bitDepth = SampleType switch
        {
            SampleType.Bool => 1,
            SampleType.UInt8 => 8,
            _ => 16,
        };
        int maxValue = Metadata.MaxValue is int declared && SampleType.IsInteger() ? declared : (1 << bitDepth) - 1;
        return new Image(width, height, colours, data, bitDepth, alpha) { MaxValue = maxValue };
    }

    /// <summary>
    /// A "YX" (grey) or "YXS" (grey + alpha, RGB, RGB + alpha; interleaved) stack from an image.
    /// The sample type defaults to Bool for 1-bit images, UInt8 up to 8 bits and UInt16 above. Integer types
    /// store round(v * (max - min) + min), clamped; Bool stores v &gt;= 0.5; floats store v unchanged.
    /// </summary>
    public static ImageStack FromImage(Image image, SampleType? sampleType = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        var type = sampleType ?? image.BitDepth switch
        {
            1 => SampleType.Bool,
            <= 8 => SampleType.UInt8,
            _ => SampleType.UInt16,
        };
        int samples = image.Channels + (image.HasAlpha ? 1 : 0);
        if (samples > 4)
            throw new ArgumentException($"An image with {image.Channels} colour channels and alpha has {samples} samples per pixel; at most 4 fit one stack plane.", nameof(image));

        int planeLength = image.Width * image.Height;
        var data = new float[(long)planeLength * samples];
        double[]? exact = type.NeedsExactData() ? new double[data.Length] : null;
        for (int s = 0; s < samples; s++)
        {
            var plane = s < image.Channels ? image.Plane(s) : image.Alpha.AsSpan();
            for (int p = 0; p < planeLength; p++)
            {
                double value = Denormalise(type, plane[p]);
                data[(long)p * samples + s] = (float)value;
                if (exact != null)
                    exact[(long)p * samples + s] = value;
            }
        }

        var metadata = new StackMetadata
        {
            Photometric = image.Channels >= 3 ? Photometric.Rgb : Photometric.MinIsBlack,
            MaxValue = image.MaxValue != (1 << image.BitDepth) - 1 && type.IsInteger() ? image.MaxValue : null,
        };
        return samples == 1
            ? new ImageStack("YX", [image.Height, image.Width], type, data, exact, metadata)
            : new ImageStack("YXS", [image.Height, image.Width, samples], type, data, exact, metadata);
    }

    private float Normalise(double value) => SampleType switch
    {
        SampleType.Float32 or SampleType.Float64 or SampleType.Bool => (float)value,
        _ => (float)((value - SampleType.MinValue()) / (SampleType.MaxValue() - SampleType.MinValue())),
    };

    private static double Denormalise(SampleType type, float value) => type switch
    {
        SampleType.Float32 or SampleType.Float64 => value,
        SampleType.Bool => value >= 0.5f ? 1 : 0,
        _ => type.Coerce(value * (type.MaxValue() - type.MinValue()) + type.MinValue()),
    };
}
