namespace Hush.Imaging.Formats;

/// <summary>Maps [0,1] floats back to integer samples: round(clamp(v, 0, 1) * (2^bits - 1)).</summary>
internal static class SampleQuantizer
{
    public static int Quantize(float value, int maxValue)
    {
        // NaN would survive the clamp, so treat it as black rather than writing garbage.
        if (float.IsNaN(value))
            return 0;
        float clamped = Math.Clamp(value, 0f, 1f);
        return (int)MathF.Round(clamped * maxValue, MidpointRounding.AwayFromZero);
    }

    public static void CheckBitDepth(int bitDepth)
    {
        if (bitDepth is not (8 or 16))
            throw new ArgumentOutOfRangeException(nameof(bitDepth), bitDepth, "Encoders write 8 or 16 bits per sample.");
    }
}
