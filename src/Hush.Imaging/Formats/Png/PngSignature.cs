namespace Hush.Imaging.Formats.Png;

/// <summary>The fixed 8-byte PNG file signature: \x89 P N G \r \n \x1A \n.</summary>
internal static class PngSignature
{
    public const int Length = 8;

    public static ReadOnlySpan<byte> Bytes => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static bool Matches(ReadOnlySpan<byte> data) => data.StartsWith(Bytes);
}
